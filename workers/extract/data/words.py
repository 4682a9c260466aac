"""Hand-made word lists for the place finder: titles, given names, stopwords, demonyms, actors.

General on purpose (never built for particular articles); each list says what it is for.
"""

from __future__ import annotations

PERSON_TITLES = ("Mr", "Mrs", "Ms", "Dr", "Gen", "General", "President", "Minister", "Sheikh",
                 "Imam", "Prince", "King", "Colonel", "Col", "Captain", "Capt", "Sgt",
                 "spokesman", "spokeswoman", "journalist", "reporter", "named")
# Given names common in conflict news. A lone one is a person ("regime head Bashar"), and a
# capitalised word straight after one is a surname ("Hussein Bazar"), unless a place cue says
# otherwise. Hand-made and general: Arabic, Persian, Turkish, Slavic, African, Western names.
GIVEN_NAMES = frozenset(word for line in (
    "mohammed mohammad muhammad mohamed ahmed ahmad mahmoud mahmud mustafa mostafa ali hussein",
    "husain hassan hasan omar umar othman uthman bashar hafez hafiz khalid khaled walid ibrahim",
    "youssef yusuf yousef abdullah abdallah abdul abdel saleh salih hamza hamid karim nabil",
    "samir tariq tarek ziad rami fadi maher jamal adel anas osama usama bilal faisal majid",
    "nasser naser rashid sami fatima aisha maryam mariam layla leila zainab huda nour noor",
    "rania amal yasser yasir imad emad issa isa musa moussa suleiman sulaiman ismail idris",
    "abu umm ayman hisham hosni riad riyad firas ghassan marwan mazen wael haitham hatem",
    "qassem qasim jawad reza mehdi hossein javad ebrahim recep tayyip mehmet ahmet mustapha",
    "vladimir volodymyr sergei sergey dmitry dmitri oleksandr alexander alexei andriy yuri",
    "ivan viktor mikhail petro yevgeny emmanuel abiy paul kofi john james david michael joe",
    "donald joseph benjamin antony anthony robert william george peter mark thomas",
) for word in line.split())
# Words news capitalises that are never places on their own. Small and general on purpose.
STOPWORDS = frozenset(word for line in (
    "january february march april may june july august september october november december",
    "jan feb mar apr jun jul aug sep sept oct nov dec",
    "monday tuesday wednesday thursday friday saturday sunday today yesterday",
    "reuters afp ap bbc cnn aljazeera twitter facebook telegram youtube whatsapp",
    "hezbollah hamas taliban houthi houthis isis isil daesh nato un unicef unhcr ocha who",
    "allah god islam muslim muslims christian christians sunni shia shiite shiites",
    "kurd kurds arab arabs",
    # religious and ethnic groups, and armed groups, that odd gazetteer aliases turn into places
    "druze alawite alawites yazidi yazidis copt copts coptic hindu hindus sikh sikhs jews",
    "fulani hausa tuareg shabaab shabab",
    "president minister ministry government army police regime opposition rebels forces",
    "photo video image source update breaking latest read more share comment comments",
    "mr mrs ms dr st",
    "north south east west northern southern eastern western central upper lower",
) for word in line.split())
# Demonyms are never places, but they tell which country a story is about.
DEMONYMS: dict[str, str] = {
    "syrian": "SY", "syrians": "SY", "iraqi": "IQ", "iraqis": "IQ", "iranian": "IR",
    "lebanese": "LB", "israeli": "IL", "israelis": "IL", "palestinian": "PS",
    "palestinians": "PS", "gazan": "PS", "jordanian": "JO", "turkish": "TR", "egyptian": "EG",
    "saudi": "SA", "yemeni": "YE", "libyan": "LY", "sudanese": "SD", "somali": "SO",
    "ethiopian": "ET", "eritrean": "ER", "malian": "ML", "nigerian": "NG", "nigerien": "NE",
    "burkinabe": "BF", "chadian": "TD", "cameroonian": "CM", "congolese": "CD",
    "ukrainian": "UA", "ukrainians": "UA", "russian": "RU", "russians": "RU", "afghan": "AF",
    "pakistani": "PK", "indian": "IN", "burmese": "MM", "rohingya": "MM", "haitian": "HT",
    "mexican": "MX", "colombian": "CO", "venezuelan": "VE", "mozambican": "MZ", "kenyan": "KE",
    "south sudanese": "SS", "tunisian": "TN", "algerian": "DZ", "moroccan": "MA",
    "kurdish": "", "american": "US", "british": "GB", "french": "FR", "german": "DE",
}
# Armed groups and bodies that work in one country: like demonyms, they tell where a story is.
ACTORS: dict[str, str] = {
    "white helmets": "SY", "hts": "SY", "sdf": "SY", "assad": "SY", "houthi": "YE",
    "houthis": "YE", "ansar allah": "YE", "rsf": "SD", "janjaweed": "SD", "m23": "CD",
    "boko haram": "NG", "iswap": "NG", "shabaab": "SO", "al shabaab": "SO", "al shabab": "SO",
    "hamas": "PS", "unrwa": "PS", "idf": "IL", "hezbollah": "LB", "taliban": "AF", "jnim": "ML",
    "tigray": "ET", "fano": "ET", "kremlin": "RU", "zelensky": "UA", "zelenskyy": "UA",
}
# Words that open sentences but never a transliterated name: the loose key must not start there.
FUNCTION_WORDS = frozenset(word for line in (
    "a an in on of the and or but for to by from with near after before during since if when",
    "while this that these those it its his her their our we he she they there here then who",
    "what how where why all some many most one two three",
) for word in line.split())
