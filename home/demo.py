"""The demo's accessibility statement and privacy notice (Danish), built through the
page tree; idempotent like ``hearings.demo``, which calls ``build_statements``.

The accessibility statement follows the structure of the Danish Agency for Digital
Government's (Digitaliseringsstyrelsen) template: scope, compliance status, content
that is not accessible, how the statement was made, feedback and contact, and the
enforcement procedure. The privacy notice names the controller, purposes, legal basis,
categories of data, recipients (including the ESDH), retention, rights and the data
protection officer.
"""

from datetime import date

from home.models import HomePage, StatementKind, StatementPage

ACCESSIBILITY_BODY = """
<p>Agora Kommune er forpligtet til at gøre sine websteder tilgængelige i overensstemmelse
med lov om tilgængelighed af offentlige organers websteder og mobilapplikationer
(lov nr. 692 af 8. juni 2018). Denne tilgængelighedserklæring gælder for kommunens
høringsportal Agora, hvor medarbejdere læser og besvarer interne høringer.</p>
<h2>Overholdelsesstatus</h2>
<p>Høringsportalen er delvist i overensstemmelse med standarden EN 301 549 og
retningslinjerne WCAG 2.1 niveau AA på grund af de manglende overholdelser, der er
nævnt nedenfor.</p>
<h2>Ikke-tilgængeligt indhold</h2>
<h3>Manglende overholdelse af lovgivningen</h3>
<ul>
<li>Bilag, som høringsparter selv uploader (fx PDF- og Word-filer), er ikke
kontrolleret for tilgængelighed og kan mangle overskrifter, alternativ tekst og
læserækkefølge (WCAG 1.1.1, 1.3.1).</li>
<li>Diagrammerne i høringsrapporter vises også som tabeller, men diagrammernes farver er
ikke afprøvet med alle former for farveblindhed (WCAG 1.4.1).</li>
<li>Redaktørernes og moderatorernes administrationsmodul (Wagtail) er ikke fuldt
afprøvet med skærmlæser.</li>
</ul>
<p>Vi retter fejlene løbende og forventer at have gennemgået de kendte problemer inden
udgangen af næste kvartal.</p>
<h3>Indhold uden for lovgivningens anvendelsesområde</h3>
<p>Filer fra tredjeparter, som hverken er udarbejdet eller finansieret af kommunen,
fx bilag til høringssvar, er ikke omfattet af loven.</p>
<h2>Udarbejdelse af denne tilgængelighedserklæring</h2>
<p>Erklæringen er udarbejdet på grundlag af en selvevaluering: automatiske test af alle
sider for medarbejdere med axe (WCAG 2.1 A og AA) ved hver ny version, afprøvning med
tastatur alene og ved 320 pixels bredde samt manuel gennemgang. Erklæringen gennemgås
mindst én gang om året.</p>
<h2>Feedback og kontaktoplysninger</h2>
<p>Hvis du oplever problemer med tilgængeligheden, eller hvis du har brug for
oplysninger eller et bilag i en anden form, kan du kontakte Digitalisering i Agora
Kommune på <a href="mailto:tilgaengelighed@agora.example">tilgaengelighed@agora.example</a>
eller telefon 70 10 20 30. Vi svarer inden for ti arbejdsdage.</p>
<h2>Håndhævelsesprocedure</h2>
<p>Digitaliseringsstyrelsen er ansvarlig for at håndhæve lov om tilgængelighed af
offentlige organers websteder og mobilapplikationer. Hvis du ikke er tilfreds med vores
svar, eller hvis du mener, at høringsportalen ikke lever op til kravene, kan du klage
til Digitaliseringsstyrelsen via <a href="https://digst.dk">digst.dk</a>.</p>
"""

PRIVACY_BODY = """
<p>Når du bruger høringsportalen Agora, behandler kommunen oplysninger om dig. Her kan
du læse, hvilke oplysninger det er, hvorfor vi behandler dem, og hvilke rettigheder du
har.</p>
<h2>Dataansvarlig</h2>
<p>Agora Kommune, Rådhuspladsen 1, 1234 Agora, CVR-nr. 12345678, er dataansvarlig for
behandlingen. Du kan kontakte os på
<a href="mailto:kommune@agora.example">kommune@agora.example</a> eller telefon
70 10 20 00.</p>
<h2>Databeskyttelsesrådgiver</h2>
<p>Har du spørgsmål til behandlingen af dine oplysninger, kan du kontakte kommunens
databeskyttelsesrådgiver (DPO) på
<a href="mailto:dpo@agora.example">dpo@agora.example</a> eller telefon 70 10 20 40.</p>
<h2>Formål</h2>
<ul>
<li>At gennemføre høringer: modtage, behandle, moderere og eventuelt offentliggøre dit
høringssvar og dine bilag.</li>
<li>At journalisere høringen med alle modtagne høringssvar i kommunens ESDH-system
(sags- og dokumenthåndtering).</li>
<li>At sende dig e-mails om høringer, du er inviteret til, og kvitteringer for dine
svar.</li>
<li>At føre log over, hvem der har læst og behandlet høringssvar (sikkerhed og
dokumentation).</li>
</ul>
<h2>Retsgrundlag</h2>
<p>Behandlingen sker for at udføre en opgave i samfundets interesse og som led i
offentlig myndighedsudøvelse, jf. databeskyttelsesforordningens artikel 6, stk. 1,
litra e, og for medarbejdere databeskyttelseslovens § 12. Journaliseringen sker for at
overholde en retlig forpligtelse, jf. artikel 6, stk. 1, litra c, og offentlighedslovens
§ 15. Skriver du følsomme oplysninger i dit svar, behandles de efter artikel 9, stk. 2,
litra b og g, og vi beder dig undlade fx CPR-numre og helbredsoplysninger.</p>
<h2>Hvilke oplysninger</h2>
<p>Dit navn, brugernavn, e-mailadresse og afdeling; dine svar, bilag og hvem du svarer
på vegne af; tidspunkter for indsendelse, ændring og tilbagetrækning; e-mails sendt til
dig; og loggen over medarbejderes adgang til dit svar.</p>
<h2>Modtagere</h2>
<ul>
<li>Høringens ejer og kommunens moderatorer læser alle svar.</li>
<li>Alle modtagne høringssvar journaliseres på høringens sag i kommunens ESDH-system.</li>
<li>Godkendte svar kan offentliggøres for høringens deltagere, hvis høringen
offentliggør svar; dit navn vises kun efter høringens indstillinger.</li>
<li>Kommunens it-leverandør behandler oplysningerne som databehandler efter aftale.</li>
</ul>
<h2>Opbevaring og sletning</h2>
<p>Høringssvar og bilag slettes fra høringsportalen 730 dage efter, at høringen er
afsluttet med en konklusion og sagen er bekræftet journaliseret. Filer, der aldrig
blev sendt med et svar, slettes efter et døgn. Det journaliserede materiale opbevares
i ESDH-systemet efter arkivlovens regler og slettes eller afleveres til arkiv efter
kommunens bevaringsbestemmelser.</p>
<h2>Dine rettigheder</h2>
<p>Du har ret til indsigt i de oplysninger, vi behandler om dig — under
<a href="/my-data/">Mine data</a> kan du selv hente dem — og ret til at få urigtige
oplysninger rettet, til sletning, til begrænsning af behandlingen og til at gøre
indsigelse. Skriv til databeskyttelsesrådgiveren for at bruge dine rettigheder. Du kan
klage til Datatilsynet, Carl Jacobsens Vej 35, 2500 Valby,
<a href="https://www.datatilsynet.dk">datatilsynet.dk</a>.</p>
"""

STATEMENTS = [
    (
        StatementKind.ACCESSIBILITY,
        "tilgaengelighedserklaering",
        "Tilgængelighedserklæring",
        "Sådan lever høringsportalen op til kravene om webtilgængelighed.",
        ACCESSIBILITY_BODY,
    ),
    (
        StatementKind.PRIVACY,
        "privatlivspolitik",
        "Privatlivspolitik",
        "Sådan behandler Agora Kommune dine oplysninger på høringsportalen.",
        PRIVACY_BODY,
    ),
]


def build_statements(site):
    """Create or update the site's two statements under its home page; return them."""
    home = HomePage.objects.filter(pk=site.root_page_id).first()
    if home is None:
        return []
    pages = []
    for kind, slug, title, intro, body in STATEMENTS:
        page = StatementPage.objects.child_of(home).filter(slug=slug).first()
        is_new = page is None
        if is_new:
            page = StatementPage(slug=slug, kind=kind, title=title, body=body)
        page.kind, page.title, page.intro = kind, title, intro
        page.body = " ".join(body.split())
        page.last_reviewed = date(2026, 11, 1)
        page.show_in_menus = False
        if is_new:
            home.add_child(instance=page)
        page.save_revision(log_action=is_new).publish(log_action=False)
        pages.append(page)
    return pages
