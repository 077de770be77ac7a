"""The demo data seed_demo loads: fictional people, organisations, outreach and the launch event
in the real municipalities of the Ambito di Legnano. Text is Italian, as the portal's users would
write it; the printout labels (third column of DEMO_USERS) are for developers."""

from stdnum import luhn
from stdnum.it import codicefiscale

from partners.models import EventRegistration, OrganisationKind, OutreachContact, SteeringGroupMember

# The 11 municipalities of the Ambito di Legnano (DOMAIN.md). Demo data: another ambito
# loads its own through the admin.
MUNICIPALITIES = [
    "Busto Garolfo",
    "Canegrate",
    "Cerro Maggiore",
    "Dairago",
    "Legnano",
    "Nerviano",
    "Parabiago",
    "Rescaldina",
    "San Giorgio su Legnano",
    "San Vittore Olona",
    "Villa Cortese",
]

DEMO_PASSWORD = "demo-legnano-2026"
DEMO_DOMAIN = "demo.welfare-legnano.it"

# (login, full name, role shown in the printout, is_staff)
DEMO_USERS = [
    ("staff", "Giulia Ferrari", "staff (Ufficio di Piano)", True),
    ("regia", "Marco Colombo", "regia coordinator (gruppo di regia), for Legnano", False),
    ("partner", "Sara Bianchi", "member of Associazione Il Melograno ODV", False),
    ("legale", "Luca Rossi", "legal representative of Associazione Il Melograno ODV", False),
    ("referente", "Paolo Galli", "referent of a pending and a rejected organisation", False),
    ("richiesta", "Elena Marchi", "has asked to join Associazione Il Melograno ODV", False),
    ("anna.ricci", "Anna Ricci", "regia member, for Parabiago", False),
    ("davide.greco", "Davide Greco", "regia member, for Nerviano", False),
    ("francesca.conti", "Francesca Conti", "regia member, for a social cooperative", False),
    ("stefano.moretti", "Stefano Moretti", "regia member, for a foundation", False),
    ("roberto.villa", "Roberto Villa", "former regia member (seat ended)", False),
]


def demo_email(login):
    return f"{login}@{DEMO_DOMAIN}"


def numeric_tax_code(first_seven):
    """An organisation's numeric codice fiscale: 7 digits, the Milan office code, Luhn check digit."""
    base = f"{first_seven}015"
    return base + luhn.calc_check_digit(base)


# The legal representative's own codice fiscale (Luca Rossi, born in Legnano on 1 January 1980).
LEGAL_REPRESENTATIVE_TAX_CODE = "RSSLCU80A01E514" + codicefiscale.calc_check_digit("RSSLCU80A01E514")

# (name, kind, legal form, first seven digits of the tax code or None, seat, served, policy areas,
#  description)
VERIFIED_ORGANISATIONS = [
    ("Associazione Il Melograno ODV", OrganisationKind.VOLUNTEERING, "Organizzazione di volontariato",
     "9100001", "Legnano", ["Legnano", "Canegrate", "San Giorgio su Legnano"], ["social-services", "housing"],
     "Volontari che accompagnano anziani soli e famiglie in difficoltà: trasporti, spesa, compagnia."),
    ("Cooperativa Sociale Il Ponte", OrganisationKind.SOCIAL_COOPERATIVE, "Cooperativa sociale di tipo B",
     "0200002", "Parabiago", ["Parabiago", "Nerviano", "Cerro Maggiore"], ["work", "vocational-training"],
     "Inserimento lavorativo di persone svantaggiate nella manutenzione del verde e nella logistica."),
    ("Fondazione Alto Olona per la Comunità", OrganisationKind.FOUNDATION, "Fondazione di partecipazione",
     "9100003", "Legnano", MUNICIPALITIES, ["social-services", "education", "housing"],
     "Sostiene con bandi e donazioni i progetti di welfare di comunità del territorio."),
    ("Istituto Comprensivo Arcobaleno", OrganisationKind.SCHOOL, "Istituzione scolastica statale",
     "9100004", "Cerro Maggiore", ["Cerro Maggiore", "Rescaldina"], ["education"],
     "Scuole dell'infanzia, primarie e secondaria di primo grado; doposcuola con le famiglie."),
    ("APS Famiglie in Rete", OrganisationKind.SOCIAL_PROMOTION_ASSOCIATION, "Associazione di promozione sociale",
     "9100005", "Rescaldina", ["Rescaldina", "Cerro Maggiore", "Legnano"], ["social-services", "education"],
     "Gruppi di mutuo aiuto tra genitori, banca del tempo e sportello di ascolto per le famiglie."),
    ("Consorzio Imprese Solidali dell'Olona", OrganisationKind.BUSINESS, "Consorzio",
     "0200006", "San Vittore Olona", ["San Vittore Olona", "Legnano", "Parabiago"], ["work", "transport"],
     "Imprese del territorio che offrono tirocini, welfare aziendale aperto e trasporto condiviso."),
    ("Lega Pensionati Solidali", OrganisationKind.TRADE_UNION, "Associazione sindacale",
     "9100007", "Busto Garolfo", ["Busto Garolfo", "Dairago", "Villa Cortese"],
     ["local-taxation-and-tariffs", "health-services"],
     "Assistenza fiscale e orientamento ai servizi sanitari per pensionati e loro familiari."),
    ("Centro Culturale La Corte", OrganisationKind.CULTURE, "Associazione culturale",
     "9100008", "Canegrate", ["Canegrate", "San Giorgio su Legnano"], ["education", "land-use"],
     "Biblioteca di quartiere, laboratori intergenerazionali e cura degli spazi pubblici."),
    ("Rete di vicinato di via Sempione", OrganisationKind.INFORMAL_SOLIDARITY_NETWORK, "",
     None, "San Giorgio su Legnano", ["San Giorgio su Legnano"], ["social-services"],
     "Vicini di casa che si scambiano piccoli aiuti quotidiani; nessuna forma giuridica."),
]
# The organisation partner@ and legale@ belong to.
HOME_ORGANISATION = "Associazione Il Melograno ODV"

PENDING_ORGANISATIONS = [
    ("Centro di Formazione Professionale Altomilanese", OrganisationKind.EDUCATIONAL_AGENCY,
     "Ente di formazione accreditato", "9100009", "Legnano", ["Legnano", "Busto Garolfo"],
     ["vocational-training", "work"], "Corsi di qualifica e riqualificazione per giovani e adulti."),
    ("Associazione Genitori di Dairago", OrganisationKind.SOCIAL_PROMOTION_ASSOCIATION,
     "Associazione di promozione sociale", "9100010", "Dairago", ["Dairago"], ["education"],
     "Genitori che organizzano il pedibus e le attività estive per i ragazzi."),
]
REJECTED_ORGANISATION = (
    "Cooperativa Sociale Orizzonti", OrganisationKind.SOCIAL_COOPERATIVE, "Cooperativa sociale di tipo A",
    "0200011", "Villa Cortese", ["Villa Cortese", "Busto Garolfo"], ["social-services", "health-services"],
    "Servizi domiciliari e centro diurno per persone con disabilità.",
)
REJECTION_REASON = (
    "La visura camerale allegata riguarda un'altra cooperativa: il codice fiscale indicato non "
    "corrisponde alla denominazione. Correggete i dati e inviate di nuovo la richiesta."
)

# (login, role, organisation or None, municipality or None, days since the start, days since the end)
STEERING_SEATS = [
    ("regia", SteeringGroupMember.Role.COORDINATOR, None, "Legnano", 120, None),
    ("anna.ricci", SteeringGroupMember.Role.MEMBER, None, "Parabiago", 120, None),
    ("davide.greco", SteeringGroupMember.Role.MEMBER, None, "Nerviano", 60, None),
    ("francesca.conti", SteeringGroupMember.Role.MEMBER, "Cooperativa Sociale Il Ponte", None, 120, None),
    ("stefano.moretti", SteeringGroupMember.Role.MEMBER, "Fondazione Alto Olona per la Comunità", None, 90, None),
    ("roberto.villa", SteeringGroupMember.Role.MEMBER, None, "Canegrate", 300, 130),
]

S = OutreachContact.Status
# (name, email, kind, municipality, assigned to, path of statuses, notes, organisation that joined)
OUTREACH_CONTACTS = [
    ("Associazione Anziani Attivi Cerro", "info@anzianiattivi.example.org", OrganisationKind.VOLUNTEERING,
     "Cerro Maggiore", "anna.ricci", [S.TO_CONTACT],
     "Segnalata dalla consulta del volontariato: gestisce il centro anziani comunale.", None),
    ("Polisportiva Giovanile Nervianese", "segreteria@polisportiva.example.org",
     OrganisationKind.SOCIAL_PROMOTION_ASSOCIATION, "Nerviano", "davide.greco", [S.TO_CONTACT],
     "Potrebbe offrire spazi e allenatori per il progetto sui ragazzi.", None),
    ("Emporio Solidale Villa Cortese", "emporio@solidale.example.org", OrganisationKind.PRIVATE_SOCIAL_SECTOR,
     "Villa Cortese", "davide.greco", [S.TO_CONTACT, S.CONTACTED],
     "Telefonata con la presidente; inviata la presentazione del percorso.", None),
    ("Centro Studi Welfare Territoriale", "ricerca@centrostudi.example.org", OrganisationKind.RESEARCH,
     "Legnano", "regia", [S.TO_CONTACT, S.CONTACTED, S.INTERESTED],
     "Disponibili a curare la valutazione d'impatto dei progetti.", None),
    ("Centro Culturale La Corte", "info@lacorte.example.org", OrganisationKind.CULTURE, "Canegrate",
     "francesca.conti", [S.TO_CONTACT, S.CONTACTED, S.INTERESTED, S.JOINED],
     "Ha aderito dopo l'incontro di presentazione.", "Centro Culturale La Corte"),
    ("Autolinee Alto Milanese", "direzione@autolinee.example.org", OrganisationKind.BUSINESS, "Parabiago",
     "stefano.moretti", [S.TO_CONTACT, S.CONTACTED, S.DECLINED],
     "Non interessati per quest'anno: ricontattare alla prossima programmazione.", None),
]

EVENT_TITLE = "Evento di lancio del welfare generativo"
EVENT_PLACE = "Sala consiliare di Palazzo Malinverni, piazza San Magno 9, Legnano"
EVENT_DESCRIPTION = (
    "Presentazione pubblica del percorso di welfare generativo dell'Ambito di Legnano: il gruppo "
    "di regia illustra le tematiche, il calendario dei focus group e come aderire al partenariato. "
    "Segue un momento di confronto con cittadini, enti e imprese."
)
EVENT_CAPACITY = 5
# (name, email, organisation, status); confirmed ones fill the capacity, then the waiting list.
R = EventRegistration.Status
EVENT_REGISTRATIONS = [
    ("Chiara Fontana", "chiara.fontana@example.org", "Associazione Il Melograno ODV", R.CONFIRMED),
    ("Giorgio Rinaldi", "giorgio.rinaldi@example.org", "", R.CONFIRMED),
    ("Martina Caruso", "martina.caruso@example.org", "APS Famiglie in Rete", R.CONFIRMED),
    ("Alberto Longo", "alberto.longo@example.org", "Consorzio Imprese Solidali dell'Olona", R.CONFIRMED),
    ("Silvia Mancini", "silvia.mancini@example.org", "", R.CONFIRMED),
    ("Federico Sala", "federico.sala@example.org", "Lega Pensionati Solidali", R.WAITING),
    ("Valentina Riva", "valentina.riva@example.org", "", R.WAITING),
    ("Tommaso Barbieri", "tommaso.barbieri@example.org", "Centro Culturale La Corte", R.CANCELLED),
]
