"""Word lists for the demo workspace and the seeding benchmark; all names are made up here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    """Where a person or company is: names, cities and phone formats typical for it."""

    code: str
    first_names: tuple[str, ...]
    # "masculine/feminine" where the family name changes with gender (Polish).
    last_names: tuple[str, ...]
    cities: tuple[tuple[str, str, str], ...]  # (city, region, postal code)
    streets: tuple[str, ...]
    company_suffix: str
    language: str


# First names are tagged "f:" when feminine, so gendered family names can agree.
COUNTRIES: tuple[Country, ...] = (
    Country(
        "US",
        (
            "James", "f:Emily", "Michael", "f:Olivia", "Daniel", "f:Sophia", "Marcus",
            "f:Madison", "Andrew", "f:Chloe", "Tyler", "f:Grace", "Ryan", "f:Hannah",
            "DeShawn", "f:Abigail", "Brandon", "f:Natalie", "Ethan", "f:Renée",
        ),
        (
            "Johnson", "Williams", "Brown", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
            "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "Harris", "O'Connor",
            "Robinson", "Walker", "Ramírez", "Nguyễn",
        ),
        (
            ("San Francisco", "CA", "94107"), ("Austin", "TX", "78701"),
            ("Boston", "MA", "02110"), ("Chicago", "IL", "60606"), ("Denver", "CO", "80202"),
            ("Seattle", "WA", "98101"), ("New York", "NY", "10013"), ("Miami", "FL", "33131"),
        ),
        ("Market Street", "Congress Avenue", "Wacker Drive", "Pine Street", "Hudson Street"),
        "Inc.",
        "English",
    ),
    Country(
        "GB",
        (
            "Oliver", "f:Amelia", "Harry", "f:Isla", "George", "f:Poppy", "Jack", "f:Freya",
            "Alfie", "f:Imogen", "Callum", "f:Eleanor", "Rhys", "f:Zoë", "Hamish", "f:Siobhán",
        ),
        (
            "Smith", "Jones", "Evans", "Hughes", "Edwards", "Roberts", "Wright", "Hall",
            "Green", "Wood", "Clarke", "Patel", "Khan", "Murphy", "McKenzie", "Ó Briain",
        ),
        (
            ("London", "", "EC1V 9BX"), ("Manchester", "", "M1 1AE"), ("Leeds", "", "LS1 4AP"),
            ("Edinburgh", "", "EH1 1YZ"), ("Bristol", "", "BS1 5TR"), ("Cardiff", "", "CF10 1EP"),
        ),
        ("Old Street", "Deansgate", "Park Row", "Rose Street", "Queen Square"),
        "Ltd",
        "English",
    ),
    Country(
        "DE",
        (
            "Lukas", "f:Anna", "Jürgen", "f:Lena", "Felix", "f:Katrin", "Maximilian",
            "f:Sophie", "Jörg", "f:Hannah", "Björn", "f:Jana", "Tobias", "f:Ulrike",
        ),
        (
            "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
            "Schäfer", "Koch", "Groß", "Köhler", "Hoffmann", "Weiß",
        ),
        (
            ("Berlin", "Berlin", "10115"), ("München", "Bayern", "80331"),
            ("Hamburg", "Hamburg", "20095"), ("Köln", "Nordrhein-Westfalen", "50667"),
            ("Leipzig", "Sachsen", "04109"), ("Stuttgart", "Baden-Württemberg", "70173"),
        ),
        ("Friedrichstraße", "Leopoldstraße", "Mönckebergstraße", "Königsallee", "Hauptstraße"),
        "GmbH",
        "Deutsch",
    ),
    Country(
        "FR",
        (
            "François", "f:Léa", "Mathis", "f:Chloé", "Théo", "f:Hélène", "Jérôme",
            "f:Amélie", "Benoît", "f:Inès", "Gaël", "f:Noémie", "Loïc", "f:Céline",
        ),
        (
            "Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard",
            "Rousseau", "Fontaine", "Chevalier", "Mercier", "Durand", "Lemaître", "Besson",
        ),
        (
            ("Paris", "Île-de-France", "75002"), ("Lyon", "Auvergne-Rhône-Alpes", "69002"),
            ("Toulouse", "Occitanie", "31000"), ("Nantes", "Pays de la Loire", "44000"),
            ("Lille", "Hauts-de-France", "59000"), ("Bordeaux", "Nouvelle-Aquitaine", "33000"),
        ),
        ("rue de Rivoli", "rue de la République", "quai des Chartrons", "rue Nationale"),
        "SAS",
        "Français",
    ),
    Country(
        "ES",
        (
            "José", "f:María", "Álvaro", "f:Lucía", "Javier", "f:Sofía", "Íñigo", "f:Carmen",
            "Andrés", "f:Pilar", "Sergio", "f:Nuria", "Raúl", "f:Begoña",
        ),
        (
            "García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez",
            "Pérez", "Gómez", "Jiménez", "Muñoz", "Ibáñez", "Núñez", "Castillo",
        ),
        (
            ("Madrid", "Comunidad de Madrid", "28013"), ("Barcelona", "Cataluña", "08002"),
            ("Valencia", "Comunidad Valenciana", "46002"), ("Sevilla", "Andalucía", "41004"),
            ("Bilbao", "País Vasco", "48001"),
        ),
        ("Calle de Alcalá", "Passeig de Gràcia", "Calle Colón", "Gran Vía"),
        "S.L.",
        "Español",
    ),
    Country(
        "PL",
        (
            "Łukasz", "f:Małgorzata", "Krzysztof", "f:Agnieszka", "Paweł", "f:Zofia",
            "Michał", "f:Katarzyna", "Wojciech", "f:Joanna", "Grzegorz", "f:Magdalena",
        ),
        (
            "Kowalski/Kowalska", "Nowak", "Wiśniewski/Wiśniewska", "Wójcik",
            "Kamiński/Kamińska", "Lewandowski/Lewandowska", "Zieliński/Zielińska",
            "Szymański/Szymańska", "Dąbrowski/Dąbrowska", "Kozłowski/Kozłowska", "Mazur",
        ),
        (
            ("Warszawa", "mazowieckie", "00-001"), ("Kraków", "małopolskie", "31-005"),
            ("Wrocław", "dolnośląskie", "50-001"), ("Gdańsk", "pomorskie", "80-001"),
        ),
        ("ul. Marszałkowska", "ul. Floriańska", "ul. Świdnicka", "ul. Długa"),
        "Sp. z o.o.",
        "Polski",
    ),
    Country(
        "DK",
        (
            "Søren", "f:Mette", "Anders", "f:Sigrid", "Bjørn", "f:Astrid", "Mikkel", "f:Freja",
            "Rasmus", "f:Ida", "Jens", "f:Birgitte",
        ),
        (
            "Jensen", "Nielsen", "Hansen", "Andersen", "Pedersen", "Søndergaard", "Østergaard",
            "Kjær", "Mortensen", "Lund",
        ),
        (
            ("København", "Hovedstaden", "1050"), ("Aarhus", "Midtjylland", "8000"),
            ("Odense", "Syddanmark", "5000"), ("Aalborg", "Nordjylland", "9000"),
        ),
        ("Østergade", "Søndergade", "Vestergade", "Nørrebrogade"),
        "A/S",
        "Dansk",
    ),
    Country(
        "SE",
        (
            "Nils", "f:Åsa", "Erik", "f:Ingrid", "Oskar", "f:Linnéa", "Johan", "f:Märta",
            "Gustav", "f:Elin",
        ),
        (
            "Lindqvist", "Bergström", "Håkansson", "Johansson", "Andersson", "Karlsson",
            "Nyström", "Sjöberg", "Ekström", "Öberg",
        ),
        (
            ("Stockholm", "Stockholms län", "111 57"), ("Göteborg", "Västra Götaland", "411 04"),
            ("Malmö", "Skåne", "211 20"), ("Uppsala", "Uppsala län", "753 20"),
        ),
        ("Drottninggatan", "Kungsgatan", "Storgatan", "Vasagatan"),
        "AB",
        "Svenska",
    ),
    Country(
        "NL",
        (
            "Daan", "f:Sanne", "Thijs", "f:Femke", "Bram", "f:Lotte", "Jeroen", "f:Anouk",
            "Sven", "f:Zoë",
        ),
        (
            "de Vries", "van Dijk", "Bakker", "Jansen", "Visser", "van den Berg", "de Jong",
            "Smit", "Meijer", "van der Linden",
        ),
        (
            ("Amsterdam", "Noord-Holland", "1012 AB"), ("Rotterdam", "Zuid-Holland", "3011 AA"),
            ("Utrecht", "Utrecht", "3511 AB"), ("Eindhoven", "Noord-Brabant", "5611 AA"),
        ),
        ("Keizersgracht", "Coolsingel", "Oudegracht", "Stratumseind"),
        "B.V.",
        "Nederlands",
    ),
    Country(
        "VN",
        (
            "Minh", "f:Linh", "Huy", "f:Trang", "Quang", "f:Thảo", "Đức", "f:Phương", "Tuấn",
            "f:Hương",
        ),
        ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi"),
        (
            ("Hà Nội", "", "100000"), ("Thành phố Hồ Chí Minh", "", "700000"),
            ("Đà Nẵng", "", "550000"),
        ),
        ("Phố Tràng Tiền", "Đường Lê Lợi", "Đường Bạch Đằng"),
        "JSC",
        "Tiếng Việt",
    ),
    Country(
        "JP",
        (
            "Haruto", "f:Yui", "Sōta", "f:Aoi", "Ren", "f:Hina", "Kenji", "f:Yuki", "Takumi",
            "f:Sakura",
        ),
        ("Satō", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Itō", "Yamamoto", "Nakamura"),
        (
            ("Tōkyō", "Tōkyō-to", "100-0005"), ("Ōsaka", "Ōsaka-fu", "530-0001"),
            ("Kyōto", "Kyōto-fu", "600-8001"),
        ),
        ("Marunouchi 1-chōme", "Umeda 2-chōme", "Shijō-dōri"),
        "K.K.",
        "日本語",
    ),
    Country(
        "BR",
        (
            "João", "f:Ana", "Thiago", "f:Letícia", "Gabriel", "f:Júlia", "Rafael", "f:Beatriz",
            "Lucas", "f:Camila",
        ),
        (
            "Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Carvalho", "Araújo",
            "Ribeiro", "Gonçalves",
        ),
        (
            ("São Paulo", "SP", "01310-100"), ("Rio de Janeiro", "RJ", "20040-002"),
            ("Belo Horizonte", "MG", "30130-010"), ("Curitiba", "PR", "80020-010"),
        ),
        ("Avenida Paulista", "Rua da Assembleia", "Avenida Afonso Pena", "Rua XV de Novembro"),
        "Ltda.",
        "Português",
    ),
    Country(
        "IN",
        (
            "Aarav", "f:Priya", "Rohan", "f:Ananya", "Vikram", "f:Kavya", "Arjun", "f:Isha",
            "Rahul", "f:Sneha",
        ),
        ("Sharma", "Patel", "Iyer", "Reddy", "Gupta", "Menon", "Nair", "Singh", "Mehta", "Rao"),
        (
            ("Bengaluru", "Karnataka", "560001"), ("Mumbai", "Maharashtra", "400001"),
            ("Pune", "Maharashtra", "411001"), ("Hyderabad", "Telangana", "500001"),
        ),
        ("MG Road", "Nariman Point", "FC Road", "Banjara Hills Road No. 1"),
        "Pvt. Ltd.",
        "English",
    ),
    Country(
        "AU",
        (
            "Lachlan", "f:Matilda", "Cooper", "f:Charlotte", "Riley", "f:Ruby", "Hamish",
            "f:Sienna",
        ),
        ("Mitchell", "Kelly", "Campbell", "Stewart", "Murray", "Ryan", "Baker", "Walsh"),
        (("Sydney", "NSW", "2000"), ("Melbourne", "VIC", "3000"), ("Brisbane", "QLD", "4000")),
        ("George Street", "Collins Street", "Queen Street"),
        "Pty Ltd",
        "English",
    ),
)  # fmt: skip

COUNTRY_BY_CODE = {country.code: country for country in COUNTRIES}
# How often each country appears: the team sells mostly in North America and Europe.
COUNTRY_WEIGHTS = {
    "US": 22, "GB": 12, "DE": 12, "FR": 8, "ES": 6, "PL": 5, "DK": 4, "SE": 4, "NL": 6,
    "VN": 4, "JP": 4, "BR": 5, "IN": 5, "AU": 3,
}  # fmt: skip

COMPANY_WORDS = (
    "Bluefin", "Cedar", "Granite", "Harbor", "Juniper", "Kestrel", "Lumen", "Maple",
    "Nimbus", "Orchid", "Pinecrest", "Quarry", "Riverstone", "Saffron", "Tidewater", "Umber",
    "Vantage", "Willow", "Zephyr", "Alder", "Brightwater", "Copperleaf", "Driftwood", "Ember",
    "Fjord", "Glacier", "Helix", "Ironbark", "Lakeside", "Meridian", "Northgate", "Oakhurst",
    "Polaris", "Redwood", "Silverline", "Tamarind", "Upland", "Verdant", "Wavecrest", "Yarrow",
)  # fmt: skip

# Second word of a company name, and the industry it implies.
COMPANY_KINDS = (
    ("Analytics", "Software"),
    ("Software", "Software"),
    ("Systems", "Information Technology"),
    ("Logistics", "Transportation & Logistics"),
    ("Freight", "Transportation & Logistics"),
    ("Foods", "Food & Beverage"),
    ("Brewing", "Food & Beverage"),
    ("Health", "Healthcare"),
    ("Clinics", "Healthcare"),
    ("Robotics", "Manufacturing"),
    ("Components", "Manufacturing"),
    ("Energy", "Energy"),
    ("Solar", "Energy"),
    ("Textiles", "Retail & Apparel"),
    ("Outfitters", "Retail & Apparel"),
    ("Bank", "Financial Services"),
    ("Capital", "Financial Services"),
    ("Insurance", "Insurance"),
    ("Media", "Media & Publishing"),
    ("Pharma", "Pharmaceuticals"),
    ("Biotech", "Biotechnology"),
    ("Telecom", "Telecommunications"),
    ("Consulting", "Professional Services"),
    ("Architects", "Construction & Real Estate"),
    ("Properties", "Construction & Real Estate"),
    ("Learning", "Education"),
)

COMPANY_BLURBS = (
    "Family-owned since {year}; moving its order desk off spreadsheets this year.",
    "Grew from {small} to {large} staff in three years; buying decisions sit with the COO.",
    "Long-time customer of a competitor; contract ends in the autumn.",
    "Runs {count} sites across the region and wants one shared customer list.",
    "Evaluating tools for their new partner programme.",
    "Public sector supplier: every purchase goes through a formal tender.",
    "Fast-moving start-up; prefers monthly billing and self-serve onboarding.",
    "",
)

DEPARTMENTS = {
    # department: (individual contributor title, head title for C-level)
    "Sales": ("Account Executive", "Chief Revenue Officer"),
    "Marketing": ("Marketing Specialist", "Chief Marketing Officer"),
    "Engineering": ("Software Engineer", "Chief Technology Officer"),
    "Finance": ("Financial Analyst", "Chief Financial Officer"),
    "Operations": ("Operations Analyst", "Chief Operating Officer"),
    "Procurement": ("Buyer", "Chief Procurement Officer"),
    "IT": ("Systems Administrator", "Chief Information Officer"),
    "Human Resources": ("HR Generalist", "Chief People Officer"),
    "Legal": ("Legal Counsel", "General Counsel"),
    "Customer Success": ("Customer Success Manager", "Chief Customer Officer"),
    "Product": ("Product Manager", "Chief Product Officer"),
}

SOURCES = (
    "Website form",
    "Trade show",
    "Referral",
    "LinkedIn",
    "Webinar",
    "Cold outreach",
    "Partner",
    "Content download",
    "Import from old CRM",
)

TAGS = (
    "VIP",
    "Newsletter",
    "Webinar 2025",
    "Trade show",
    "Partner",
    "Beta tester",
    "Churn risk",
    "Key account",
    "Renewal Q3",
    "Lisbon summit",
    "Do not call",
    "Reference customer",
    "Speaks at events",
    "Needs SSO",
)

INTERESTS = (
    "Analytics",
    "Automation",
    "Integrations",
    "Security",
    "Mobile",
    "Reporting",
    "AI assistants",
    "Compliance",
)

LANGUAGES = (
    "English",
    "Deutsch",
    "Français",
    "Español",
    "Polski",
    "Dansk",
    "Svenska",
    "Nederlands",
    "Tiếng Việt",
    "日本語",
    "Português",
)

CONSENT_SOURCES = (
    "Web form (double opt-in)",
    "Event badge scan",
    "Imported from old CRM",
    "Signed order form",
    "Webinar registration",
)

RELATION_ROLES = ("Advisor", "Board member", "Investor", "Former employee", "Consultant")

DISQUALIFY_REASONS = (
    "No budget this year",
    "Student project",
    "Chose a competitor",
    "Too small for our plans",
    "Duplicate enquiry",
)

LEAD_NOTES = (
    "Filled in the pricing form twice in one week.",
    "Met at the booth; wants a call after the holidays.",
    "Downloaded the buyer's guide and the security whitepaper.",
    "Asked whether we support single sign-on.",
    "Referred by an existing customer.",
    "",
)

NOTE_BODIES = (
    "Prefers email over calls; mornings (their time) work best.",
    "Budget approved for next fiscal year; wants a formal quote by the end of the month.",
    "Evaluating two other vendors. Price matters less than the import from their old system.",
    "Moved to a new office in {city}; update the postal address on the invoice.",
    "Asked for single sign-on and audit logs before they can roll out to the whole team.",
    "Will be on parental leave from next month; {colleague} covers in the meantime.",
    "Happy with onboarding. Suggested we write a case study together.",
    "Flagged that invoices go to their finance team, not to them.",
    "Met at the {city} meet-up. Knows our CTO from a previous job.",
    "Wants the renewal moved to January to match their budget cycle.",
    "Complained about slow support replies last quarter; follow up personally.",
    "Interested in the API to sync contacts with their billing tool.",
)

CALL_SUBJECTS = (
    "Discovery call",
    "Follow-up call",
    "Pricing questions",
    "Quarterly check-in",
    "Renewal call",
    "Support escalation",
)
CALL_BODIES = (
    "Talked through their current process; they track customers in three spreadsheets.",
    "Walked through pricing tiers. They need a quote for {seats} seats.",
    "Left a voicemail; will try again on Thursday.",
    "Confirmed the renewal; asked about adding the {dept} team.",
    "Agreed next steps: technical review with their IT lead.",
)
MEETING_SUBJECTS = (
    "Product demo",
    "Quarterly business review",
    "On-site visit in {city}",
    "Security review",
    "Lunch",
)
MEETING_BODIES = (
    "Demo for {count} people from {dept}. Most questions were about importing and duplicates.",
    "Reviewed adoption numbers; they want training for new starters.",
    "Met the procurement team. Contract draft expected in two weeks.",
    "",
)
EMAIL_SUBJECTS = (
    "Proposal and pricing",
    "Case study: {industry}",
    "Recap of today's meeting",
    "Your trial workspace",
    "Invitation: customer round table",
    "Following up",
)
CAMPAIGNS = ("Spring newsletter", "Product update", "Webinar invite", "Customer survey")
