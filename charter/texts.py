"""Default content of the documents, in the seed's own words (Allegato 2, "La lettura delle
politiche di welfare locale e il passaggio ad un modello di welfare generativo").

These are not interface strings but the first draft of official texts, in the language the
documents are written in: the steering group edits them in every version and pact, and what is
stored in the database is what gets approved and signed. Another ambito changes them there.
"""

DEFAULT_CHARTER_TITLE = "Carta della cittadinanza"
DEFAULT_PACT_TITLE = "Patto di solidarietà"

DEFAULT_INTRODUCTION = """\
La Carta della cittadinanza raccoglie i progetti che i soggetti della comunità hanno costruito \
insieme e che intendono realizzare nel territorio dell'ambito.

Il welfare generativo è un processo virtuoso di interazione tra soggetti diversi della comunità \
(enti locali, istituzioni pubbliche, privato sociale, volontariato, cooperazione sociale, \
associazionismo di promozione sociale e familiare, reti informali di solidarietà, fondazioni, \
soggetti del mondo della scuola, della cultura, della ricerca, agenzie educative, soggetti del mondo \
economico, imprenditoriale, sindacale), grazie al quale vengono effettuate e realizzate scelte \
condivise su interventi, progetti, servizi, prestazioni, a favore delle persone, delle famiglie o di \
gruppi specifici della popolazione o di particolari fasce d'età, in un determinato territorio.

Il welfare generativo è essenziale in presenza di bisogni complessi, al fine di garantire efficacia, \
o di nuovi bisogni, rispetto ai quali il legislatore non ha definito il sistema delle responsabilità \
pubbliche tenute ad intervenire. Senza l'impegno congiunto di soggetti diversi si correrebbe il \
rischio di lasciare le persone, che hanno tali bisogni, in quella che possiamo definire una \
"terra di nessuno" o una "terra di mezzo".

Con un welfare generativo, che superi il vecchio modello di welfare distributivo, non si ottiene \
solo la sommatoria di parzialità ma si generano politiche originali e nuove, si sperimentano \
metodologie in grado di garantire maggior efficacia negli interventi e maggior attenzione alla \
globalità delle persone destinatarie."""

DEFAULT_PRINCIPLES = """\
I progetti di questa Carta si riconoscono nelle caratteristiche di un welfare generativo:

- un welfare che si realizzi grazie a forme di partenariato;
- un welfare capace di rispondere a bisogni complessi e di garantire una presa in carico integrata \
dei bisogni delle persone e delle famiglie;
- un welfare capace di mettere in rete sistemi di politiche attualmente frammentate (politiche del \
lavoro, della casa, del territorio, dei trasporti, dell'istruzione, della formazione professionale, \
dei servizi alla persona sociali e sanitari, della fiscalità locale e delle tariffe per l'accesso ai \
servizi), evitando politiche ideate senza porre al centro le persone e le famiglie;
- un welfare che punti alla costruzione di relazioni fiduciarie e solidaristiche sul territorio;
- un welfare capace di riconoscere e valorizzare la molteplicità dei soggetti presenti sul \
territorio, con le loro specifiche culture, le esperienze maturate, gli specifici apporti possibili;
- un welfare capace di coniugare costantemente il tema dei diritti personali da garantire con quello \
dei doveri sociali da esercitare;
- un welfare in cui la doverosa rigorosità e oculatezza nell'impiego delle risorse non sia solo \
governata da logiche di disinvestimento o di tagli bensì da serie e ponderate scelte di investimento \
sul capitale sociale, individuandone i passaggi di crescita nel tempo."""

DEFAULT_PACT_TEXT = """\
Il presente Patto di solidarietà territoriale è stipulato tra coloro che mettono in rete \
responsabilità e risorse per realizzare la Carta della cittadinanza a cui si riferisce.

Il percorso ha come obiettivo quello di coinvolgere, con i Comuni, tutte quelle istituzioni e \
organizzazioni pubbliche e del privato sociale che a diverso titolo si occupano di servizi alla \
persona o di politiche sociali integrate, unitamente ai soggetti sindacali e del mondo produttivo ed \
economico locale, per costruire e realizzare nel territorio dell'ambito un nuovo welfare generativo.

I Soggetti firmatari si impegnano a realizzare i progetti della Carta mettendo in rete le \
responsabilità e le risorse indicate per ciascuno nel presente Patto, attivando processi e buone \
prassi attente anzitutto al "come" progettare e intervenire: investendo sulle reti, su regole \
condivise, sul partenariato, sull'informazione di rete, sulla diffusione di una cultura della \
cittadinanza sociale e della solidarietà condivisa, nella corretta pratica della sussidiarietà.

Le risorse messe in rete sono un investimento sul capitale sociale del territorio, di cui i \
Soggetti firmatari seguono insieme i passaggi di crescita nel tempo."""
