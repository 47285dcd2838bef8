"""Reading stored answers: in which order, and as what text.

The one question order (the current form's, then answers to questions removed since)
and the one answer-as-text rule (the question type's, see
``hearings.blocks.questions``) used by the receipt page and e-mail, the public page,
the admin, CSV/XLSX and both PDFs. Templates use the ``answer_text`` filter of
``hearing_tags``.
"""

from hearings.blocks.questions import answer_text, questions

__all__ = ["answer_rows", "answer_text", "ordered_question_ids"]


def ordered_question_ids(hearing, answers):
    """Question ids of ``answers`` in the order of the current form, then any left over."""
    ids = [child.id for child in questions(hearing.response_form) if child.id in answers]
    return ids + [question_id for question_id in answers if question_id not in ids]


def answer_rows(hearing, answers):
    """[(label, answer dict)] in the one question order.

    The label is the snapshot taken when the person answered.
    """
    return [
        (answers[question_id].get("label", ""), answers[question_id])
        for question_id in ordered_question_ids(hearing, answers)
    ]
