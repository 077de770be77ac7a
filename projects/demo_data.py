"""The projects demo content loaded by projects.demo: themes, focus groups, the cronoprogramma and
proposals in every state. Fictional, in Italian as the portal's users would write it. Dates are
days relative to the day of loading (negative: in the past)."""

from partners.models import OrganisationKind, SteeringGroupMember

DEMO_DOMAIN = "demo.welfare-legnano.it"

# Users the demo needs; created (without a usable password) only if seed_demo has not made them.
# (login, full name)
USERS = [
    ("regia", "Marco Colombo"),
    ("partner", "Sara Bianchi"),
    ("legale", "Luca Rossi"),
    ("anna.ricci", "Anna Ricci"),
    ("davide.greco", "Davide Greco"),
    ("francesca.conti", "Francesca Conti"),
]
# Steering seats created only for users who have none. (login, role, organisation, municipality)
SEATS = [
    ("regia", SteeringGroupMember.Role.COORDINATOR, None, "Legnano"),
    ("anna.ricci", SteeringGroupMember.Role.MEMBER, None, "Parabiago"),
    ("davide.greco", SteeringGroupMember.Role.MEMBER, None, "Nerviano"),
    ("francesca.conti", SteeringGroupMember.Role.MEMBER, "Cooperativa Sociale Il Ponte", None),
]
# Organisations looked up by name; created verified only if missing. (name, kind, seat, tax digits)
ORGANISATIONS = [
    ("Associazione Il Melograno ODV", OrganisationKind.VOLUNTEERING, "Legnano", "9200001"),
    ("Cooperativa Sociale Il Ponte", OrganisationKind.SOCIAL_COOPERATIVE, "Parabiago", "9200002"),
    ("Fondazione Alto Olona per la Comunità", OrganisationKind.FOUNDATION, "Legnano", "9200003"),
    ("Istituto Comprensivo Arcobaleno", OrganisationKind.SCHOOL, "Cerro Maggiore", "9200004"),
    ("APS Famiglie in Rete", OrganisationKind.SOCIAL_PROMOTION_ASSOCIATION, "Rescaldina", "9200005"),
    ("Consorzio Imprese Solidali dell'Olona", OrganisationKind.BUSINESS, "San Vittore Olona", "9200006"),
    ("Lega Pensionati Solidali", OrganisationKind.TRADE_UNION, "Busto Garolfo", "9200007"),
    ("Centro Culturale La Corte", OrganisationKind.CULTURE, "Canegrate", "9200008"),
    ("Rete di vicinato di via Sempione", OrganisationKind.INFORMAL_SOLIDARITY_NETWORK, "San Giorgio su Legnano", None),
]
HOME = "Associazione Il Melograno ODV"  # partner@ and legale@ belong to it

# (title, description, policy areas, call opens, call closes)
THEMES = [
    ("Abitare e vicinato solidale",
     "Nessuno resti solo in casa: reti di vicinato, condomini solidali e spazi comuni per anziani, "
     "famiglie e persone fragili, mettendo in rete politiche della casa, del territorio e sociali.",
     ["housing", "social-services", "land-use"], -20, 40),
    ("Lavoro e autonomia dei giovani",
     "Percorsi verso il lavoro e l'autonomia per ragazzi e giovani adulti, tra scuola, formazione "
     "professionale, imprese e trasporti.",
     ["work", "vocational-training", "education", "transport"], -120, -30),
    ("Famiglie, caregiver e conciliazione",
     "Sostenere le famiglie come capitale sociale primario: tempi di cura, caregiver familiari, "
     "tariffe e servizi sanitari e sociali più accessibili.",
     ["social-services", "health-services", "local-taxation-and-tariffs"], 30, 90),
]

# (theme, title, description, facilitators, {organisation: membership status})
FOCUS_GROUPS = [
    ("Abitare e vicinato solidale", "Anziani soli e reti di vicinato",
     "Enti e vicini di casa costruiscono insieme risposte alla solitudine degli anziani.",
     ["regia", "anna.ricci"],
     {"Associazione Il Melograno ODV": "accepted", "Centro Culturale La Corte": "accepted",
      "Rete di vicinato di via Sempione": "accepted", "APS Famiglie in Rete": "invited",
      "Fondazione Alto Olona per la Comunità": "requested"}),
    ("Lavoro e autonomia dei giovani", "Giovani, scuola e lavoro",
     "Scuole, cooperative e imprese progettano percorsi di orientamento e inserimento lavorativo.",
     ["davide.greco"],
     {"Cooperativa Sociale Il Ponte": "accepted", "Consorzio Imprese Solidali dell'Olona": "accepted",
      "Istituto Comprensivo Arcobaleno": "accepted", "Lega Pensionati Solidali": "declined"}),
]

# (focus group, title, day, hour, place, online link, agenda, minutes, minutes published,
#  {organisation: present})
MEETINGS = [
    ("Anziani soli e reti di vicinato", "Primo incontro", -25, 17,
     "Casa del Volontariato e del Terzo Settore, Legnano", "",
     "1. Presentazione dei partecipanti\n2. I bisogni emersi dalle consulte del volontariato\n"
     "3. Prime idee di progetto",
     "Presenti due enti su tre. Emersi tre bisogni: compagnia, piccole commissioni, accompagnamento alle visite. "
     "Il Melograno propone un progetto di custodi di vicinato; La Corte offre la biblioteca come punto d'incontro.",
     True, {"Associazione Il Melograno ODV": True, "Centro Culturale La Corte": True,
            "Rete di vicinato di via Sempione": False}),
    ("Anziani soli e reti di vicinato", "Secondo incontro", 7, 18, "",
     "https://meet.example.org/vicinato-solidale",
     "1. Bozza della proposta \"Custodi di vicinato\"\n2. Risorse che ciascun ente può mettere in rete",
     "", False, {}),
    ("Giovani, scuola e lavoro", "Incontro di avvio", -90, 15, "Sala riunioni del Comune di Nerviano", "",
     "1. Dati sulla dispersione scolastica nell'ambito\n2. Tirocini disponibili nelle imprese del consorzio",
     "Bozza del verbale: da completare con i dati dell'istituto comprensivo.",
     False, {"Cooperativa Sociale Il Ponte": True, "Consorzio Imprese Solidali dell'Olona": True,
             "Istituto Comprensivo Arcobaleno": False}),
]

# (phase, order, title, due day, done day or None)
MILESTONES = [
    ("steering_group", 10, "Costituzione del gruppo di regia", -150, -155),
    ("steering_group", 20, "Definizione delle tematiche", -100, -98),
    ("steering_group", 30, "Evento pubblico di lancio", -60, -62),
    ("focus_groups", 10, "Avvio dei focus group", -40, -35),
    ("focus_groups", 20, "Conclusione dei contatti con i potenziali partner", -10, None),
    ("proposals", 10, "Invio delle proposte sulla tematica Abitare e vicinato solidale", 40, None),
    ("drafting", 10, "Bozze della Carta della cittadinanza e del Patto di solidarietà", 70, None),
    ("approval", 10, "Approvazione della Carta da parte del gruppo di regia", 100, None),
    ("signing", 10, "Sottoscrizione del Patto di solidarietà", 120, None),
]

COMPLETE = {
    "need": "Molti anziani vivono soli, senza una rete familiare vicina: un bisogno che oggi non è di nessuno.",
    "objectives": "Ridurre l'isolamento, prevenire il ricovero, rafforzare i legami tra vicini.",
    "activities": "Visite settimanali, accompagnamento alle visite mediche, piccole commissioni, pranzi di quartiere.",
    "rights": "Il diritto a restare nella propria casa e a una vita di relazione.",
    "duties": "Chi riceve aiuto, quando può, lo restituisce: racconta, insegna, partecipa alle attività del quartiere.",
    "indicators": "Anziani raggiunti; ore di volontariato; accessi al pronto soccorso evitati; nuovi volontari.",
}
CRITERION_SCORES = {  # evaluator login -> scores in rubric order
    "regia": [4, 4, 5, 3, 4],
    "anna.ricci": [5, 3, 4, 3, 4],
    "davide.greco": [3, 4, 4, 2, 3],
}

# Proposals in every state. (status, title, lead, author login or None, theme, focus group,
#  summary, target groups, age bands, municipalities, policy areas, beneficiaries,
#  co-partners {organisation: status}, commitments [(organisation, kind, quantity, unit, value,
#  description)], evaluator logins, conflict logins, coordinator note)
PROPOSALS = [
    ("draft", "Custodi di vicinato", HOME, "partner", "Abitare e vicinato solidale",
     "Anziani soli e reti di vicinato",
     "Una rete di volontari e vicini di casa che si prende cura degli anziani soli del quartiere.",
     ["older-people"], ["65 anni e oltre"], ["Legnano", "San Giorgio su Legnano"], ["social-services"], None,
     {"Rete di vicinato di via Sempione": "invited"},
     [(HOME, "volunteer_hours", 600, "ore", "9000.00", "Volontari per visite e accompagnamenti.")],
     [], [], ""),
    ("submitted", "Condomini solidali", HOME, "legale", "Abitare e vicinato solidale",
     "Anziani soli e reti di vicinato",
     "Nei condomini popolari un portiere sociale e un gruppo di inquilini organizzano aiuto reciproco.",
     ["older-people", "families"], ["30-64 anni", "65 anni e oltre"], ["Legnano", "Canegrate"],
     ["housing", "social-services", "land-use"], 180,
     {"Centro Culturale La Corte": "accepted", "Fondazione Alto Olona per la Comunità": "accepted"},
     [(HOME, "volunteer_hours", 400, "ore", "6000.00", "Volontari per il portierato sociale."),
      ("Centro Culturale La Corte", "premises", 1, "sala", "2400.00", "Sala della biblioteca due sere a settimana."),
      ("Fondazione Alto Olona per la Comunità", "money", 15000, "euro", "15000.00", "Contributo al portiere sociale.")],
     [], [], ""),
    ("in_evaluation", "Officina dei mestieri", "Cooperativa Sociale Il Ponte", "francesca.conti",
     "Lavoro e autonomia dei giovani", "Giovani, scuola e lavoro",
     "Laboratori di manutenzione e logistica dove ragazzi che hanno lasciato la scuola imparano un mestiere.",
     ["young-people"], ["14-17 anni", "18-29 anni"], ["Parabiago", "Nerviano", "Cerro Maggiore"],
     ["work", "vocational-training", "education"], 40,
     {"Consorzio Imprese Solidali dell'Olona": "accepted", "Istituto Comprensivo Arcobaleno": "accepted"},
     [("Cooperativa Sociale Il Ponte", "staff_hours", 800, "ore", "20000.00", "Tutor e maestri d'opera."),
      ("Consorzio Imprese Solidali dell'Olona", "services", 12, "tirocini", "18000.00", "Tirocini retribuiti."),
      ("Istituto Comprensivo Arcobaleno", "staff_hours", 60, "ore", "1800.00", "Orientamento con i docenti.")],
     ["regia", "anna.ricci"], ["francesca.conti"], ""),
    ("changes_requested", "Patente e mobilità per i giovani", "Consorzio Imprese Solidali dell'Olona", None,
     "Lavoro e autonomia dei giovani", "",
     "Un fondo a restituzione e un servizio di auto condivise per i giovani che devono raggiungere il lavoro.",
     ["young-people"], ["18-29 anni"], ["San Vittore Olona", "Legnano", "Parabiago"], ["work", "transport"], 60,
     {"Cooperativa Sociale Il Ponte": "accepted"},
     [("Consorzio Imprese Solidali dell'Olona", "goods", 3, "automobili", "24000.00", "Auto aziendali in comodato.")],
     ["anna.ricci"], [],
     "Indicate come funziona la restituzione del fondo e chi copre l'assicurazione delle auto."),
    ("approved", "Doposcuola diffuso", "Istituto Comprensivo Arcobaleno", None, "Lavoro e autonomia dei giovani",
     "Giovani, scuola e lavoro",
     "Doposcuola nelle biblioteche e negli oratori con genitori volontari e studenti delle superiori.",
     ["children", "families"], ["6-13 anni"], ["Cerro Maggiore", "Rescaldina"], ["education", "social-services"], 150,
     {"APS Famiglie in Rete": "accepted"},
     [("Istituto Comprensivo Arcobaleno", "premises", 4, "aule", "8000.00", "Aule aperte il pomeriggio."),
      ("APS Famiglie in Rete", "volunteer_hours", 900, "ore", "13500.00", "Genitori e studenti volontari.")],
     ["regia", "anna.ricci", "davide.greco"], [],
     "Progetto solido, con un partenariato ampio e un bisogno ben documentato. Approvato per la Carta."),
    ("rejected", "Sportello fiscale itinerante", "Lega Pensionati Solidali", None, "Lavoro e autonomia dei giovani",
     "", "Un camper che porta l'assistenza fiscale nei comuni più piccoli.",
     ["older-people"], ["65 anni e oltre"], ["Busto Garolfo", "Dairago", "Villa Cortese"],
     ["local-taxation-and-tariffs"], 300, {},
     [("Lega Pensionati Solidali", "staff_hours", 200, "ore", "5000.00", "Operatori dello sportello.")],
     ["regia", "davide.greco"], [],
     "La proposta non riguarda la tematica dei giovani e non coinvolge altri partner: ripresentatela "
     "sulla tematica delle famiglie, cercando partner nel focus group."),
    ("withdrawn", "Orti condivisi", "Centro Culturale La Corte", None, "Abitare e vicinato solidale", "",
     "Orti urbani curati insieme da anziani e ragazzi.", [], [], ["Canegrate"], ["land-use"], None, {}, [],
     [], [], ""),
]
WITHDRAWAL_NOTE = "Il comune non ha più disponibile l'area per gli orti: ritiriamo la proposta."
PROPOSAL_PATHS = {
    "draft": ["draft"],
    "submitted": ["draft", "submitted"],
    "in_evaluation": ["draft", "submitted", "in_evaluation"],
    "changes_requested": ["draft", "submitted", "in_evaluation", "changes_requested"],
    "approved": ["draft", "submitted", "in_evaluation", "approved"],
    "rejected": ["draft", "submitted", "in_evaluation", "rejected"],
    "withdrawn": ["draft", "withdrawn"],
}
