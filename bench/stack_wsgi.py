"""gunicorn's application for the rush's ceiling (``AGORA_RUSH_WAY=stack``,
bench/rush.py): Agora as it is, except that the answer's POST is answered with a
redirect where the view would start its work, as ``bench/answer_cost.py``'s ``stack``
way cuts it. Nothing is stored: the rush's rate with it is the most any way of handing
an answer in could reach on this stack (issue #16, item 4). Never used outside the
bench."""

from agora_site.wsgi import application
from bench.answer_cost import way

# Entered for the life of this process, and kept: a context left to the garbage
# collector would be closed, and put the view back.
CUT_SHORT = way("stack")
CUT_SHORT.__enter__()

__all__ = ["application"]
