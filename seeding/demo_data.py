"""The people, places and words of the demo post in fictional Bandaria (see seeding.demo)."""

from dataclasses import dataclass, field

from contacts.choices import OrganizationKind, Service
from tenancy.markings import Channel, Marking

# acronym, name, kind, parent acronym, channel
ORGANIZATIONS = [
    (
        "MOD",
        "Ministry of Defence of Bandaria",
        OrganizationKind.MINISTRY,
        None,
        Channel.POST,
    ),
    (
        "DDC",
        "Directorate of Defence Cooperation",
        OrganizationKind.OTHER,
        "MOD",
        Channel.POST,
    ),
    (
        "GS",
        "General Staff of the Bandarian Armed Forces",
        OrganizationKind.SERVICE_HQ,
        "MOD",
        Channel.POST,
    ),
    (
        "BLF",
        "Bandarian Land Forces Headquarters",
        OrganizationKind.SERVICE_HQ,
        "GS",
        Channel.POST,
    ),
    (
        "RBN",
        "Royal Bandarian Navy Headquarters",
        OrganizationKind.SERVICE_HQ,
        "GS",
        Channel.POST,
    ),
    (
        "BAF",
        "Bandarian Air Force Headquarters",
        OrganizationKind.SERVICE_HQ,
        "GS",
        Channel.POST,
    ),
    (
        "NMD",
        "Northern Military District",
        OrganizationKind.COMMAND,
        "BLF",
        Channel.POST,
    ),
    ("CDC", "Coastal Defence Command", OrganizationKind.COMMAND, "RBN", Channel.POST),
    ("ADC", "Air Defence Command", OrganizationKind.COMMAND, "BAF", Channel.POST),
    ("3 MECH", "3rd Mechanised Brigade", OrganizationKind.UNIT, "NMD", Channel.POST),
    ("NDC", "National Defence College", OrganizationKind.SCHOOL, "MOD", Channel.POST),
    ("MAQ", "Al-Qasr Military Academy", OrganizationKind.SCHOOL, "BLF", Channel.POST),
    (
        "MID",
        "Military Intelligence Directorate",
        OrganizationKind.OTHER,
        "GS",
        Channel.ATTACHE,
    ),
]

# Positions by organization, most senior first, with the grade band the holder usually has.
POSITIONS = {
    "MOD": [("Under-Secretary of Defence", "CIV"), ("Director-General for Policy", "CIV"), ("Director of Procurement", "OF-6"),
            ("Legal Adviser", "CIV"), ("Director of International Relations", "CIV"), ("Director of the Defence Budget", "OF-6")],
    "DDC": [("Director of Defence Cooperation", "OF-6"), ("Head of Foreign Liaison", "OF-5"), ("Desk Officer, Americas", "OF-4"),
            ("Protocol Officer", "OF-3"), ("Desk Officer, Europe", "OF-4"), ("Desk Officer, Asia", "OF-3"),
            ("Training Coordination Officer", "OF-3")],
    "GS": [("Chief of the General Staff", "OF-9"), ("Deputy Chief of the General Staff", "OF-8"), ("J3 Director of Operations", "OF-7"),
           ("J5 Director of Plans", "OF-6"), ("J7 Director of Training", "OF-6"), ("J4 Director of Logistics", "OF-6"),
           ("J6 Director of Communications", "OF-6")],
    "BLF": [("Commander, Land Forces", "OF-8"), ("Chief of Staff, Land Forces", "OF-7"), ("G3 Operations", "OF-5"),
            ("Director of Army Training", "OF-6")],
    "RBN": [("Commander, Royal Bandarian Navy", "OF-8"), ("Chief of Naval Staff", "OF-7"), ("Director of Naval Plans", "OF-5"),
            ("Commander, Patrol Flotilla", "OF-5"), ("Director of Naval Training", "OF-5")],
    "BAF": [("Commander, Air Force", "OF-8"), ("Chief of Air Staff", "OF-7"), ("Director of Air Operations", "OF-5"),
            ("Commander, Transport Wing", "OF-5"), ("Director of Air Force Training", "OF-5")],
    "NMD": [("Commander, Northern Military District", "OF-7"), ("Deputy Commander", "OF-6"), ("Chief of Staff", "OF-5")],
    "CDC": [("Commander, Coastal Defence Command", "OF-7"), ("Chief of Staff", "OF-5"), ("Senior Enlisted Adviser", "OR-9")],
    "ADC": [("Commander, Air Defence Command", "OF-7"), ("Chief of Staff", "OF-5"), ("Commander, Air Defence Sector North", "OF-5")],
    "3 MECH": [("Commander, 3rd Mechanised Brigade", "OF-6"), ("Brigade Sergeant Major", "OR-9"), ("Deputy Commander", "OF-5")],
    "NDC": [("Commandant", "OF-7"), ("Dean of Studies", "CIV"), ("Director of the Senior Course", "OF-5"),
            ("Head of Strategic Studies", "CIV")],
    "MAQ": [("Superintendent", "OF-7"), ("Commandant of Cadets", "OF-5"), ("Director of Military Studies", "OF-5")],
    "MID": [("Director of Military Intelligence", "OF-7"), ("Head of Foreign Relations", "OF-5")],
}  # fmt: skip
ORG_SERVICE = {
    "BLF": Service.ARMY, "NMD": Service.ARMY, "3 MECH": Service.ARMY, "MAQ": Service.ARMY,
    "RBN": Service.NAVY, "CDC": Service.NAVY, "BAF": Service.AIR_FORCE, "ADC": Service.AIR_FORCE,
    "GS": Service.JOINT, "DDC": Service.JOINT, "NDC": Service.JOINT, "MID": Service.JOINT, "MOD": Service.JOINT,
}  # fmt: skip

# Bandarian rank titles by grade (land and air; the navy adds "Bahri").
RANK_TITLES = {
    "OF-9": "Fariq Awwal", "OF-8": "Fariq", "OF-7": "Liwa", "OF-6": "Amid", "OF-5": "Aqid",
    "OF-4": "Muqaddam", "OF-3": "Raid", "OF-2": "Naqib", "OR-9": "Musaid Awwal",
}  # fmt: skip
CIVILIAN_TITLES = ["Dr.", "Mr.", "Ms.", ""]
OUR_SCHOOLS = ("US Army", "Naval Postgraduate", "Air War College")
GRADE_ORDER = ["OF-2", "OF-3", "OF-4", "OF-5", "OF-6", "OF-7", "OF-8", "OF-9"]

# (Latin, Arabic, aliases) — given names and family names of Bandarians.
GIVEN = [
    ("Ahmad", "أحمد", "Ahmed"), ("Khalid", "خالد", "Khaled"), ("Omar", "عمر", "Umar"),
    ("Yusuf", "يوسف", "Youssef, Yousef"), ("Hamad", "حمد", ""), ("Saeed", "سعيد", "Said"),
    ("Abdullah", "عبد الله", "Abdallah"), ("Faisal", "فيصل", "Faysal"), ("Tariq", "طارق", "Tarek"),
    ("Ibrahim", "إبراهيم", "Ebrahim"), ("Hussein", "حسين", "Husayn"), ("Salim", "سالم", "Salem"),
    ("Rashid", "راشد", "Rasheed"), ("Mahmoud", "محمود", "Mahmud"), ("Nasser", "ناصر", "Nasir"),
    ("Fatima", "فاطمة", "Fatma"), ("Mariam", "مريم", "Maryam"), ("Layla", "ليلى", "Leila"),
    ("Nour", "نور", "Noor"), ("Hassan", "حسن", "Hasan"),
]  # fmt: skip
FAMILY = [
    ("Al-Hashimi", "الهاشمي", "Hashemi"), ("Al-Qasimi", "القاسمي", "Qassimi"), ("Al-Harthy", "الحارثي", "Harthi"),
    ("Al-Balushi", "البلوشي", "Baloushi"), ("Al-Zahrani", "الزهراني", "Zahrani"), ("Al-Shamsi", "الشامسي", "Shamsi"),
    ("Al-Kaabi", "الكعبي", "Kaabi"), ("Al-Nuaimi", "النعيمي", "Noaimi"), ("Al-Otaibi", "العتيبي", "Oteibi"),
    ("Haddad", "حداد", "Hadad"), ("Khoury", "خوري", "Khouri"), ("Saleh", "صالح", "Salih"),
    ("Al-Farsi", "الفارسي", "Farsi"), ("Al-Rashidi", "الرشيدي", "Rashedi"), ("Al-Amiri", "العامري", "Ameri"),
    ("Al-Suwaidi", "السويدي", "Swaidi"),
]  # fmt: skip


# Counterparts every demo should have (search journeys, several scripts), placed by hand.
@dataclass
class Special:
    family_name: str
    given_names: str
    native_name: str
    aliases: str
    country: str
    service: str
    rank_title: str
    nato_grade: str
    position: str
    org: str | None
    tags: list[str] = field(default_factory=list)
    channel: str = Channel.POST
    marking: str = Marking.U
    restricted_notes: str = ""
    education: str = ""
    languages: str = ""
    biography: str = ""
    protocol_notes: str = ""


SPECIALS = [
    Special(
        "Al-Mansouri",
        "Muhammad",
        "محمد المنصوري",
        "Mohamed Al Mansouri, Mohammed Mansoori",
        "XB",
        Service.JOINT,
        "Amid",
        "OF-6",
        "Director of Defence Cooperation",
        "DDC",
        ["alumni", "key-leader"],
        education="US Army War College (2016); National Defence College, Bandar",
        languages="Arabic, English, French",
        biography="Career armour officer; commanded the 3rd Mechanised Brigade. Point of entry for every request to the General Staff.",
        protocol_notes="Prefers meetings before noon. Does not take calls on Fridays.",
        restricted_notes="Said privately that he expects to be the next J5; keep the ammunition question with him.",
    ),
    Special(
        "Chaykovskiy",
        "Pyotr Ilyich",
        "Пётр Ильич Чайковский",
        "Tchaikovsky, Piotr Tchaikovski",
        "RU",
        Service.ARMY,
        "Polkovnik",
        "OF-5",
        "Defence Attaché of the Russian Federation in Bandar",
        None,
        ["attache-corps"],
        languages="Russian, Arabic, English",
        marking=Marking.SBU,
    ),
    Special(
        "García Márquez",
        "José",
        "José García Márquez",
        "Jose Garcia",
        "ES",
        Service.NAVY,
        "Capitán de Navío",
        "OF-5",
        "Spanish liaison officer, Coastal Defence Command",
        "CDC",
        ["attache-corps", "maritime"],
        languages="Spanish, English",
    ),
    Special(
        "Wang",
        "Jianguo",
        "王建国",
        "Wang Chien-kuo",
        "CN",
        Service.ARMY,
        "Senior Colonel",
        "OF-6",
        "Defence Attaché of the People's Republic of China in Bandar",
        None,
        ["attache-corps"],
        languages="Mandarin, English",
        marking=Marking.SBU,
    ),
    Special(
        "Kovalenko",
        "Oleksandr",
        "Олександр Коваленко",
        "Alexander Kovalenko",
        "UA",
        Service.ARMY,
        "Pidpolkovnyk",
        "OF-4",
        "Defence Attaché of Ukraine in Bandar",
        None,
        ["attache-corps"],
        languages="Ukrainian, English",
    ),
    Special(
        "Lefèvre",
        "Hélène",
        "Hélène Lefèvre",
        "Helene Lefevre",
        "FR",
        Service.AIR_FORCE,
        "Générale de brigade aérienne",
        "OF-6",
        "Defence Attaché of France in Bandar",
        None,
        ["attache-corps"],
        languages="French, English",
    ),
    Special(
        "Öztürk",
        "Çağrı",
        "Çağrı Öztürk",
        "Cagri Ozturk",
        "TR",
        Service.NAVY,
        "Albay",
        "OF-5",
        "Naval Attaché of Türkiye in Bandar",
        None,
        ["attache-corps", "maritime"],
        languages="Turkish, English",
    ),
    Special(
        "Sato",
        "Ken",
        "佐藤 健",
        "Satou Ken",
        "JP",
        Service.ARMY,
        "Ittō Rikusa",
        "OF-5",
        "Defence Attaché of Japan in Bandar",
        None,
        ["attache-corps"],
        languages="Japanese, English",
    ),
    Special(
        "Al-Harbi",
        "Abdulaziz",
        "عبد العزيز الحربي",
        "Abdel Aziz Al Harbi",
        "XB",
        Service.JOINT,
        "Liwa",
        "OF-7",
        "Director of Military Intelligence",
        "MID",
        ["key-leader"],
        channel=Channel.ATTACHE,
        marking=Marking.SBU,
        restricted_notes="Meets only with the defense attaché, never with embassy political staff.",
    ),
    Special(
        "Al-Mazrouei",
        "Saif",
        "سيف المزروعي",
        "Seif Mazroui",
        "XB",
        Service.NAVY,
        "Aqid Bahri",
        "OF-5",
        "Head of maritime domain awareness project",
        "CDC",
        ["maritime"],
        channel=Channel.RESTRICTED,
        marking=Marking.SBU_NF,
        restricted_notes="Source of the harbour-security assessment; handle with care.",
    ),
]

TOPICS = [
    "exercise schedule for next year", "maritime security in the strait", "officer exchange places at our staff colleges",
    "the cross-servicing agreement text", "air defence modernisation", "a port visit by a US Navy destroyer",
    "counter-smuggling patrols", "English-language training", "the ammunition storage safety programme",
    "humanitarian assistance and disaster relief planning", "the border situation in the north", "cyber defence cooperation",
    "a senior leader visit in the spring", "the education and training budget", "medical readiness cooperation",
]  # fmt: skip
LOCATIONS = [
    "Ministry of Defence, Bandar",
    "General Staff HQ",
    "Embassy of the United States, Bandar",
    "Naval Base Ras Qasr",
    "Air Base Al-Sahra",
    "National Defence College",
    "Officers' Club, Bandar",
]
OUTCOMES = [
    "Agreed to follow up in writing.", "Host nation will propose dates.", "No commitment; raise again next month.",
    "Positive; draft text to be shared.", "Referred to the General Staff for decision.", "",
]  # fmt: skip

LANGUAGES = [
    "Arabic, English",
    "Arabic",
    "Arabic, English, French",
    "Arabic, Urdu, English",
]
# Empty entries make "nothing recorded" as likely as it is in a real office.
EDUCATION = [
    "",
    "",
    "National Defence College, Bandar",
    "US Army Command and General Staff College (2014)",
    "Naval Postgraduate School, Monterey (2012)",
    "Air War College (2018); Al-Qasr Military Academy",
    "Royal College of Defence Studies, London",
]
RESTRICTED_REMARKS = [
    "",
    "",
    "",
    "",
    "Close to the Chief of the General Staff.",
    "Was passed over for promotion last year.",
]
TAG_POOL = ["alumni", "key-leader", "maritime", "air-defence", "training", "protocol"]
