"""Lists about people's names and mailboxes shared by contact cleaning and duplicate matching.

Plain data and pure functions only, so the matching engine can use them without Django.
"""

from __future__ import annotations

# Common English nicknames -> the formal given name they stand for. Deliberately short: a
# wrong entry glues two different people together, a missing one only costs a little recall.
NICKNAMES: dict[str, str] = {
    "bob": "robert",
    "bobby": "robert",
    "rob": "robert",
    "robbie": "robert",
    "bert": "robert",
    "bill": "william",
    "billy": "william",
    "will": "william",
    "willy": "william",
    "liam": "william",
    "peggy": "margaret",
    "maggie": "margaret",
    "meg": "margaret",
    "marge": "margaret",
    "jim": "james",
    "jimmy": "james",
    "jamie": "james",
    "mike": "michael",
    "mick": "michael",
    "mickey": "michael",
    "dick": "richard",
    "rick": "richard",
    "ricky": "richard",
    "rich": "richard",
    "tom": "thomas",
    "tommy": "thomas",
    "tony": "anthony",
    "ted": "edward",
    "ed": "edward",
    "eddie": "edward",
    "ned": "edward",
    "kate": "katherine",
    "katie": "katherine",
    "kathy": "katherine",
    "cathy": "katherine",
    "catherine": "katherine",
    "kathryn": "katherine",
    "liz": "elizabeth",
    "beth": "elizabeth",
    "betty": "elizabeth",
    "lizzie": "elizabeth",
    "eliza": "elizabeth",
    "jen": "jennifer",
    "jenny": "jennifer",
    "chris": "christopher",
    "kit": "christopher",
    "dan": "daniel",
    "danny": "daniel",
    "dave": "david",
    "davey": "david",
    "joe": "joseph",
    "joey": "joseph",
    "sam": "samuel",
    "sammy": "samuel",
    "steve": "steven",
    "stephen": "steven",
    "alex": "alexander",
    "sasha": "alexander",
    "andy": "andrew",
    "drew": "andrew",
    "matt": "matthew",
    "nick": "nicholas",
    "nicky": "nicholas",
    "pat": "patricia",
    "patty": "patricia",
    "trish": "patricia",
    "sue": "susan",
    "susie": "susan",
    "jack": "john",
    "johnny": "john",
    "jon": "john",
    "greg": "gregory",
    "ben": "benjamin",
    "benny": "benjamin",
    "charlie": "charles",
    "chuck": "charles",
    "fred": "frederick",
    "freddie": "frederick",
    "harry": "henry",
    "hank": "henry",
    "larry": "lawrence",
    "jeff": "jeffrey",
    "ken": "kenneth",
    "kenny": "kenneth",
    "ron": "ronald",
    "ronnie": "ronald",
    "don": "donald",
    "donnie": "donald",
    "tim": "timothy",
    "timmy": "timothy",
    "vicky": "victoria",
    "tori": "victoria",
    "abby": "abigail",
    "becky": "rebecca",
    "becca": "rebecca",
    "debbie": "deborah",
    "deb": "deborah",
    "sandy": "sandra",
    "mandy": "amanda",
    "manny": "manuel",
    "pepe": "jose",
    "paco": "francisco",
    "hans": "johannes",
    "sepp": "josef",
}

# Mailbox providers anyone can sign up to: sharing one says nothing about working together.
FREE_MAIL_DOMAINS: frozenset[str] = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.co.uk",
        "yahoo.fr",
        "ymail.com",
        "hotmail.com",
        "hotmail.co.uk",
        "hotmail.fr",
        "outlook.com",
        "live.com",
        "msn.com",
        "aol.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "protonmail.com",
        "proton.me",
        "gmx.de",
        "gmx.net",
        "gmx.com",
        "web.de",
        "t-online.de",
        "mail.com",
        "yandex.ru",
        "mail.ru",
        "qq.com",
        "163.com",
        "orange.fr",
        "free.fr",
        "laposte.net",
        "libero.it",
        "fastmail.com",
        "zoho.com",
        "hey.com",
        "tutanota.com",
    }
)

# Legal-form words dropped when comparing company names ("Acme Inc." is "Acme").
COMPANY_SUFFIXES: frozenset[str] = frozenset(
    {
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "llp",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "bv",
        "nv",
        "co",
        "corp",
        "corporation",
        "company",
        "kg",
        "oy",
        "ab",
        "as",
        "pty",
        "pte",
        "kk",
        "se",
        "the",
        "group",
        "holding",
        "holdings",
    }
)


def canonical_given_name(folded: str) -> str:
    """The formal name a nickname stands for ("bob" -> "robert"); other names unchanged."""
    return NICKNAMES.get(folded, folded)


def canonical_mailbox(email: str) -> str:
    """Gmail ignores dots and +tags in the mailbox, so they name the same inbox."""
    local, _, domain = email.lower().rpartition("@")
    if not local:
        return email.lower()
    if domain == "googlemail.com":
        domain = "gmail.com"
    local = local.split("+", 1)[0]
    if domain == "gmail.com":
        local = local.replace(".", "")
    return f"{local}@{domain}"


def is_free_mail(domain: str) -> bool:
    return domain.lower() in FREE_MAIL_DOMAINS
