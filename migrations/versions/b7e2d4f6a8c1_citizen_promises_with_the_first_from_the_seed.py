"""Citizen promises, published by the administrator; the 2024–2025 promise is the first.

Revision ID: b7e2d4f6a8c1
Revises: 9f3b6c1d2e4a
Create Date: 2026-12-02 06:00:00.000000

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import pwa.models

# revision identifiers, used by Alembic.
revision = "b7e2d4f6a8c1"
down_revision = "9f3b6c1d2e4a"
branch_labels = None
depends_on = None

#: The promise of 2024–2025 as the municipality published it (brottsforebyggande-arbete in the
#: seed), and in the English the app showed until promises were kept in the database.
TEXT_SV = """\
I medborgarlöftet för 2024–2025 lovar Oxelösunds kommun och polisen att göra det lättare för \
medborgarna att starta och bedriva grannsamverkan och båtsamverkan.

## Vad är ett medborgarlöfte?

Oxelösunds kommun arbetar trygghetsskapande och brottsförebyggande i samverkan med \
Polismyndigheten. Samverkan är med utgångspunkt i en gemensam lägesbild och handlingsplan. \
Syftet är att minska sannolikheten för brott och minska skadeverkningar (inklusive rädsla) av \
brott. Handlingsplanen utgår från en gemensamt konstaterad problembild för Oxelösund och \
reglerar vilka samordnade aktiviteter som parterna ska genomföra.

Medborgarlöftet är en del av polisens och kommunens långsiktiga arbete med att förebygga brott \
och skapa trygghet. Det innebär att kommunen och polisen, med utgångspunkt i en lägesbild, \
särskilt prioriterar något område och lovar att genomföra vissa insatser inom detta område för \
att öka tryggheten i Oxelösund.

Medborgarlöftet utgår från medborgarnas uppfattning om sin situation och sitt lokalsamhälle, \
samt den lokala lägesbilden som tagits fram av kommunen och polisen.

## Lägesbild idag

Polisen och kommunen har tagit fram en gemensam lägesbild, vilken visar att antalet anmälda \
brott har legat på ungefär samma nivå i Oxelösunds kommun de senaste 10 åren. Vad gäller stöld- \
och tillgreppsbrotten kan vi efter några års minskning nu se en ökning av antalet stöld- och \
tillgreppsbrott igen. Framför allt är det stölder ur/från fordon och cykelstölder som ökat.

Vad gäller stölder från båtar, av båtar och båtmotorer har Oxelösund ofta haft fler brott per \
invånare jämfört med andra kommuner i Sverige under de senaste 10 åren.

## Det här ska vi åstadkomma tillsammans

Oxelösunds kommun tillsammans med polisen vill genom våra aktiviteter och genom att arbeta nära \
och tillsammans med medborgarna, medverka till att förebygga brott och öka upplevelsen av \
trygghet i kommunen.

## Så här ska vi göra

Polisen och kommunen ska skapa förutsättningar, uppmuntra och underlätta för medborgare att \
starta och bedriva grannsamverkan och båtsamverkan i kommunen.

### Grannsamverkan

Syftet med grannsamverkan är att göra bostadsområden mindre attraktiva för brottslig \
verksamhet genom ökad uppmärksamhet från de boende i området samt kunskap om hur man skyddar \
sig, vilket avskräcker och försvårar för tjuven. Målet är att minska brottsligheten och öka \
tryggheten och därmed också trivseln i bostadsområden.

Samverkan mot brott (SAMBO) har genomfört en utvärdering av grannsamverkans effekter och \
resultatet är tydligt: grannsamverkan gör stor skillnad, med en genomsnittlig minskning av \
inbrott med 36 % i grannsamverkansområden jämfört med 8 % i kontrollområden. Utvärderingen \
visar även på andra positiva effekter, som en minskning av tillgreppsbrott i \
grannsamverkansområden och en ökning av antalet gripanden av polisen i \
grannsamverkansområden i jämförelse med kontrollområden.

[Samverkan mot brott (annan webbplats)](https://samverkanmotbrott.se/)

### Båtsamverkan

Båtsamverkan fungerar på ett likartat sätt som grannsamverkan. Arbetet bygger på samverkan \
mellan till exempel polisen, båtägare, båtklubbar, kommuner och marinor och går ut på att \
gemensamt öka bevakning och uppmärksamhet samt vidta åtgärder för att skydda egendom och \
därigenom förebygga brott.

Båtsamverkan har visat mycket positiva brottsförebyggande effekter och i vissa områden har \
stölderna gått ner mycket kraftigt efter att man startat båtsamverkan.

[Så startar du en båtsamverkan](/sv/boat-watch)

## Följ med i hur det går!

Arbetet med medborgarlöftet går att följa på Facebook, på PolisenOxelosund och Oxelösunds \
kommun. Arbetet följs upp löpande och kommer att redovisas på polisen.se och oxelosund.se.

- [PolisenOxelosund på Facebook (annan webbplats)](https://www.facebook.com/PolisenOxelosund)
- [polisen.se (annan webbplats)](https://polisen.se/)
- [oxelosund.se (annan webbplats)](https://www.oxelosund.se/)
"""

TEXT_EN = """\
In their citizen promise for 2024–2025, Oxelösund Municipality and the police promise to make \
it easier for residents to start and run Grannsamverkan (neighbourhood watch) and \
Båtsamverkan (Boat Watch).

## What is a citizen promise?

Oxelösund Municipality works with the Swedish Police Authority to prevent crime and help people \
feel safe. The work starts from a shared picture of the situation and an action plan. The aim \
is to make crime less likely and to reduce the harm it does, including fear.

The action plan is based on the problems the two have identified together in Oxelösund, and \
sets out which coordinated activities each of them will carry out.

A medborgarlöfte (citizen promise) is part of this long-term work against crime and for \
safety. Starting from the picture of the situation, the municipality and the police choose an \
area to give special priority, and promise to carry out certain actions in it to make \
Oxelösund safer.

The promise starts from how residents see their own situation and their community, and from \
the local picture of the situation drawn up by the municipality and the police.

## The situation today

The police and the municipality have drawn up a shared picture of the situation (lägesbild). \
It shows that the number of reported crimes in Oxelösund has stayed at about the same level for \
the last ten years.

After a few years of decline, thefts are now rising again – above all thefts from vehicles and \
of bicycles.

As for thefts of boats and outboard engines, and from boats, Oxelösund has often had more such \
crimes per inhabitant than other Swedish municipalities over the last ten years.

## What we will achieve together

Through our activities, and by working closely with the people who live here, Oxelösund \
Municipality and the police want to help prevent crime and make people in the municipality \
feel safer.

## How we will do it

The police and the municipality will create the conditions for residents to start and run \
Grannsamverkan and Båtsamverkan in the municipality, and will encourage them and make it easier.

### Grannsamverkan (neighbourhood watch)

Grannsamverkan aims to make residential areas less attractive to criminals. Residents who pay \
attention to what happens around them, and know how to protect themselves, deter thieves and \
make their work harder. The goal is less crime, more safety and so a better place to live.

Samverkan mot brott (SAMBO), the national partnership of the police, insurers, housing \
organisations and others behind neighbourhood watch in Sweden, has evaluated its effects. The \
result is clear: in areas with neighbourhood watch, burglaries fell on average by 36 per cent, \
against 8 per cent in comparable areas without it.

The evaluation also found other good effects in neighbourhood-watch areas compared with the \
other areas: fewer thefts, and more arrests by the police.

[Samverkan mot brott (another website)](https://samverkanmotbrott.se/)

### Båtsamverkan (Boat Watch)

Båtsamverkan works in a similar way. It builds on cooperation between, for example, the \
police, boat owners, boat clubs, municipalities and marinas, who together keep a closer watch \
and take steps to protect property and so prevent crime.

Båtsamverkan has had very good results in preventing crime: in some areas thefts fell sharply \
after a Boat Watch started.

[How to start a Boat Watch](/en/boat-watch)

## Follow the work

You can follow the work on the citizen promise on Facebook, on the pages of the police in \
Oxelösund (PolisenOxelosund) and of Oxelösunds kommun. The work is followed up continuously and \
reported on polisen.se, the police’s website, and oxelosund.se, the municipality’s website.

- [PolisenOxelosund on Facebook (another website)](https://www.facebook.com/PolisenOxelosund)
- [polisen.se (another website)](https://polisen.se/)
- [oxelosund.se (another website)](https://www.oxelosund.se/)
"""

SIGNATORIES_SV = (
    "Undertecknat av Dag Bergentoft, kommunstyrelsens ordförande, och Ludvig Hellman, "
    "tf. lokalpolisområdeschef, i samverkansöverenskommelsen mellan Oxelösunds kommun och "
    "Polismyndigheten."
)
SIGNATORIES_EN = (
    "Signed by Dag Bergentoft, chair of the municipal executive board, and Ludvig Hellman, "
    "acting head of the local police area, in the cooperation agreement between Oxelösund "
    "Municipality and the Swedish Police Authority."
)


def upgrade():
    promise = op.create_table(
        "promise",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_year", sa.Integer(), nullable=False),
        sa.Column("last_year", sa.Integer(), nullable=False),
        sa.Column("text_sv", sa.Text(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column("signatories_sv", sa.String(length=300), nullable=False),
        sa.Column("signatories_en", sa.String(length=300), nullable=False),
        sa.Column("published_at", pwa.models.UTCDateTime(), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", pwa.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["account.id"],
            name=op.f("fk_promise_published_by_id_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promise")),
    )
    # When the app first showed it; nobody published it through the app.
    published = datetime(2024, 1, 1, tzinfo=UTC)
    op.bulk_insert(
        promise,
        [
            {
                "first_year": 2024,
                "last_year": 2025,
                "text_sv": TEXT_SV,
                "text_en": TEXT_EN,
                "signatories_sv": SIGNATORIES_SV,
                "signatories_en": SIGNATORIES_EN,
                "published_at": published,
                "published_by_id": None,
                "updated_at": published,
            }
        ],
    )


def downgrade():
    op.drop_table("promise")
