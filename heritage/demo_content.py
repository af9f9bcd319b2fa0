"""The demo archive's content: real festivals and customs, briefly and carefully described.

Dates follow the lunar calendar where the community does; where a date
varies by village or follows another calendar (the Chăm one), the season is
given in words instead of a made-up day.
"""

import datetime

PEOPLE = {
    "nong-thi-hoa": {
        "name": "Nông Thị Hoa",
        "role": "musician",
        "group": "Tày",
        "birth_year": 1958,
        "locality": "Xã Tân Tiến, Lạng Sơn",
        "public": True,
    },
    "trieu-van-kiem": {
        "name": "Triệu Văn Kiềm",
        "role": "shaman",
        "group": "Dao",
        "birth_year": 1951,
        "locality": "Xã Hồng Quang, Tuyên Quang",
        "public": True,
    },
    "danh-soc-kha": {
        "name": "Danh Sóc Kha",
        "role": "prestigious",
        "group": "Khmer",
        "birth_year": 1962,
        "locality": "Phường Khánh Hòa, Cần Thơ",
        "public": True,
    },
    "y-khu-nie": {
        "name": "Y Khu Niê",
        "role": "elder",
        "group": "Ê Đê",
        "birth_year": 1947,
        "locality": "Buôn Kô Sia, Đắk Lắk",
        "public": True,
    },
    "lo-van-pom": {
        "name": "Lò Văn Pơm",
        "role": "shaman",
        "group": "Thái",
        "birth_year": 1955,
        "locality": "Bản Hụm, Sơn La",
        "public": True,
    },
    "ro-cham-h-lin": {
        "name": "Rơ Châm H'Lin",
        "role": "artisan",
        "group": "Gia Rai",
        "birth_year": 1966,
        "locality": "Làng Kép, Gia Lai",
        "public": True,
    },
    # An informant who allowed recording but not public display: his name
    # and the recording he is heard in must never reach a visitor.
    "giang-a-pao": {
        "name": "Giàng A Páo",
        "role": "informant",
        "group": "H'Mông",
        "birth_year": 1970,
        "locality": "Xã Bản Phố, Lào Cai",
        "public": False,
    },
    "le-thi-minh": {
        "name": "Lê Thị Minh",
        "role": "researcher",
        "group": "Kinh",
        "birth_year": 1980,
        "locality": "Hà Nội",
        "public": True,
    },
}

HOME_INTRO = {
    "vi": (
        "<p>Kho lưu trữ các lễ hội, nghi lễ, nghề thủ công và làn điệu của các dân tộc "
        "thiểu số Việt Nam, do cán bộ văn hóa các tỉnh ghi lại cùng cộng đồng. Mỗi hồ sơ "
        "nêu rõ nơi, thời gian, người thực hành và điều kiện sử dụng.</p>"
    ),
    "en": (
        "<p>An archive of the festivals, rituals, crafts and songs of Vietnam's ethnic "
        "minorities, recorded with their communities by provincial cultural officers. "
        "Each record states where and when, who practises it, and how it may be used.</p>"
    ),
}

# Media: key -> (type, title vi, title en, colours)
MEDIA = {
    "longtong-cay-con": ("image", "Cây còn giữa ruộng", "The còn pole in the field", 0),
    "longtong-nem-con": ("image", "Ném còn đầu xuân", "Throwing the còn ball", 1),
    "longtong-video": ("video", "Rước thần ra đồng", "Procession to the fields", 2),
    "gautao-cay-neu": ("image", "Cây nêu Gầu Tào", "The Gầu Tào pole", 3),
    "gautao-audio": ("audio", "Lời khấn Gầu Tào", "Gầu Tào prayer", 4),
    "okombok-ghe-ngo": ("image", "Đua ghe ngo", "Ngo boat race", 5),
    "okombok-video": ("video", "Thả đèn gió", "Releasing sky lanterns", 6),
    "kate-thap": ("image", "Rước y trang lên tháp", "Bringing the robes to the tower", 7),
    "then-dan-tinh": ("image", "Đàn tính và chùm xóc nhạc", "The tính lute and jingles", 8),
    "then-audio": ("audio", "Một đoạn hát Then", "A passage of Then singing", 9),
    "ben-nuoc-image": ("image", "Bến nước buôn", "The village water wharf", 10),
    "bo-ma-nha-mo": ("image", "Nhà mồ và tượng gỗ", "Grave house and wooden statues", 11),
    "co-tu-det": ("image", "Khung dệt cạp lưng", "Backstrap loom", 12),
    "pon-poong-image": ("image", "Múa Pồn Pôông", "Pồn Pôông dance", 13),
}

# WebVTT captions and transcripts: media key -> [(language, kind, label, cues)], each cue
# (start, end, text) within the five seconds of the demo clips.
CAPTIONS = {
    "longtong-video": [
        (
            "vi",
            "captions",
            "Tiếng Việt",
            [
                ("00:00.000", "00:01.500", "Dân làng khiêng kiệu rước thần ra đồng."),
                ("00:01.500", "00:03.000", "Thầy Tào đi trước, đọc lời mời thần nông."),
                ("00:03.000", "00:05.000", "Tiếng trống giục mọi người xuống ruộng."),
            ],
        ),
        (
            "en",
            "captions",
            "English",
            [
                ("00:00.000", "00:01.500", "Villagers carry the palanquin to the fields."),
                ("00:01.500", "00:03.000", "The Tào master leads, inviting the god of farming."),
                ("00:03.000", "00:05.000", "Drums call everyone down to the rice field."),
            ],
        ),
    ],
    "then-audio": [
        (
            "vi",
            "transcript",
            "",
            [
                ("00:00.000", "00:01.500", "Tiếng đàn tính mở lối lên trời."),
                ("00:01.500", "00:03.200", "Thầy Then xin tổ tiên về chứng giám."),
                ("00:03.200", "00:05.000", "Cầu cho bản làng mùa màng bội thu."),
            ],
        ),
    ],
}

RECORDS = [
    {
        "key": "long-tong",
        "kind": "festival",
        "groups": ["Tày"],
        "province": "Lạng Sơn",
        "locality": {"vi": "Xã Tân Tiến", "en": "Tân Tiến commune"},
        "coords": (21.8537, 106.7610),
        "lunar": (1, 8),
        "domain": "social_practices",
        "native_name": "Lồng Tồng",
        "vi": {
            "title": "Lễ hội Lồng Tồng",
            "summary": (
                "Lễ hội xuống đồng đầu xuân của người Tày, cầu mùa màng tươi tốt, người "
                "yên vật thịnh. Phần lễ cúng thần nông và thành hoàng; phần hội có ném còn, "
                "kéo co, đánh quay và hát lượn."
            ),
            "body": (
                "Lồng Tồng nghĩa là “xuống đồng”. Sau Tết Nguyên đán, các bản tổ chức lễ "
                "ở một thửa ruộng rộng gần làng. Thầy Tào đọc lời khấn, dân làng dâng mâm "
                "cỗ xôi ngũ sắc, bánh chưng, gà luộc. Cây còn được dựng giữa ruộng; quả còn "
                "lọt vòng báo hiệu một năm được mùa."
            ),
            "keywords": ["xuống đồng", "ném còn", "cầu mùa"],
            "season": "",
        },
        "en": {
            "title": "Lồng Tồng Festival",
            "summary": (
                "The Tay spring festival of going down to the fields, praying for good "
                "harvests and a prosperous village. Offerings to the god of agriculture and "
                "the village guardian are followed by còn-ball throwing, tug of war, top "
                "spinning and lượn singing."
            ),
            "body": (
                "Lồng Tồng means “going down to the fields”. After the Lunar New Year, "
                "villages hold the rite on a wide field near the hamlet. The Tào master "
                "reads the prayer and villagers offer five-coloured sticky rice, square "
                "rice cakes and boiled chicken. A còn pole stands in the field; a ball "
                "passing through its ring foretells a good harvest."
            ),
            "keywords": ["going to the fields", "còn ball", "harvest prayer"],
            "season": "",
        },
        "media": ["longtong-cay-con", "longtong-nem-con", "longtong-video"],
        "gallery": ["longtong-cay-con", "longtong-nem-con"],
        "people": [("nong-thi-hoa", "Hát lượn", "Lượn singer")],
        "editions": [(2023, "Xã Tân Tiến"), (2024, "Xã Tân Tiến")],
        "sources": ["Sở Văn hóa, Thể thao và Du lịch Lạng Sơn, Hồ sơ lễ hội truyền thống, 2019."],
        "publish": True,
    },
    {
        "key": "gau-tao",
        "kind": "festival",
        "groups": ["H'Mông"],
        "province": "Lào Cai",
        "locality": {"vi": "Xã Bắc Hà", "en": "Bắc Hà commune"},
        "coords": (22.5405, 104.2917),
        "lunar": (1, None),
        "recurrence": "occasional",
        "domain": "social_practices",
        "native_name": "Gầu Tào",
        "vi": {
            "title": "Lễ hội Gầu Tào",
            "summary": (
                "Lễ hội của người H'Mông do một gia đình đứng ra tổ chức trong những ngày "
                "đầu năm để cầu con, cầu sức khỏe hoặc cầu phúc, thường liên tục ba năm."
            ),
            "body": (
                "Gia chủ dựng cây nêu trên một bãi đất rộng, treo vải đỏ và bầu rượu. "
                "Thầy cúng khấn mời tổ tiên và thần linh về chứng giám. Trai gái thổi khèn, "
                "ném pao, hát giao duyên quanh cây nêu suốt nhiều ngày."
            ),
            "keywords": ["cây nêu", "khèn", "ném pao"],
            "season": "Những ngày đầu tháng Giêng",
        },
        "en": {
            "title": "Gầu Tào Festival",
            "summary": (
                "A Hmong festival hosted by one family in the first days of the year to "
                "pray for children, health or blessings, usually held three years in a row."
            ),
            "body": (
                "The host family raises a pole on open ground, hung with red cloth and a "
                "gourd of wine. The ritual master invites the ancestors and spirits to "
                "witness. Young people play the khèn pipes, toss pao balls and sing "
                "courting songs around the pole for several days."
            ),
            "keywords": ["ritual pole", "khèn pipes", "pao ball"],
            "season": "The first days of the 1st lunar month",
        },
        "media": ["gautao-cay-neu", "gautao-audio"],
        "hidden_media_person": ("gautao-audio", "giang-a-pao"),
        "people": [("giang-a-pao", "Người cung cấp thông tin", "Informant")],
        "sources": ["Viện Văn hóa Nghệ thuật quốc gia Việt Nam, Phiếu điều tra, 2021."],
        "publish": True,
    },
    {
        "key": "cap-sac",
        "kind": "custom",
        "custom_type": "life_cycle",
        "groups": ["Dao"],
        "province": "Tuyên Quang",
        "locality": {"vi": "Xã Hồng Quang", "en": "Hồng Quang commune"},
        "lunar": (12, None),
        "recurrence": "occasional",
        "domain": "social_practices",
        "vi": {
            "title": "Lễ cấp sắc của người Dao",
            "summary": (
                "Nghi lễ trưởng thành bắt buộc với nam giới người Dao: người được cấp sắc "
                "nhận pháp danh, học giữ các điều răn và từ đó được cúng bái, được công nhận "
                "là người trưởng thành trong dòng họ."
            ),
            "body": (
                "Lễ thường làm vào dịp nông nhàn cuối năm và kéo dài nhiều ngày, do các "
                "thầy cúng chủ trì. Gia đình chuẩn bị lợn, gạo, rượu từ nhiều năm trước. "
                "Các điệu múa chuông, múa đao và múa rùa gắn với từng chặng của nghi lễ."
            ),
            "keywords": ["trưởng thành", "pháp danh", "thầy cúng"],
            "season": "Cuối năm âm lịch, khi nông nhàn",
        },
        "en": {
            "title": "Dao Coming-of-age Ceremony (Cấp sắc)",
            "summary": (
                "The coming-of-age ceremony every Dao man must pass: he receives a ritual "
                "name, learns the precepts and may from then on perform worship, recognised "
                "as an adult of his lineage."
            ),
            "body": (
                "It is usually held in the slack farming season at the end of the year and "
                "lasts several days, led by ritual masters. Families save pigs, rice and "
                "wine for it for years. Bell, sword and turtle dances mark the stages of "
                "the rite."
            ),
            "keywords": ["coming of age", "ritual name", "ritual master"],
            "season": "End of the lunar year, in the slack season",
        },
        "people": [("trieu-van-kiem", "Thầy cúng chính", "Lead ritual master")],
        "testimony": {
            "speaker": "trieu-van-kiem",
            "language": "Dao",
            "vi": "Chưa cấp sắc thì chưa được coi là người lớn, chết đi tổ tiên không nhận.",
            "en": (
                "A man who has not been through cấp sắc is not yet an adult; when he dies "
                "the ancestors do not receive him."
            ),
        },
        "publish": True,
    },
    {
        "key": "cap-sac-bi-truyen",
        "kind": "custom",
        "custom_type": "ritual",
        "groups": ["Dao"],
        "province": "Tuyên Quang",
        "access": "restricted",
        "domain": "social_practices",
        "vi": {
            "title": "Nghi thức truyền dạy kín trong lễ cấp sắc",
            "summary": (
                "Phần truyền dạy chỉ dành cho người được cấp sắc; cộng đồng đề nghị không công bố."
            ),
            "body": "Nội dung chỉ dành cho cán bộ lưu trữ và đại diện cộng đồng.",
            "keywords": ["bí truyền"],
            "season": "",
        },
        "en": {
            "title": "Closed teachings of the coming-of-age ceremony",
            "summary": (
                "The teachings given only to the initiates; the community asked that they "
                "not be published."
            ),
            "body": "For archive officers and community representatives only.",
            "keywords": ["closed knowledge"],
            "season": "",
        },
        "publish": True,
    },
    {
        "key": "ok-om-bok",
        "kind": "festival",
        "groups": ["Khmer"],
        "province": "Sóc Trăng",
        "locality": {"vi": "Sông Maspero", "en": "Maspero river"},
        "coords": (9.6025, 105.9739),
        "lunar": (10, 15),
        "domain": "social_practices",
        "native_name": "Ok Om Bok",
        "vi": {
            "title": "Lễ hội Ok Om Bok",
            "summary": (
                "Lễ cúng trăng của người Khmer vào rằm tháng Mười âm lịch, tạ ơn thần Mặt "
                "Trăng đã cho mưa thuận gió hòa; đi kèm đua ghe ngo, thả đèn nước và đèn gió."
            ),
            "body": (
                "Đêm rằm, các gia đình bày cốm dẹp, chuối, khoai, dừa trước sân. Khi trăng "
                "lên, người già đút cốm dẹp cho trẻ nhỏ và hỏi điều ước. Ngày hôm sau, các "
                "đội ghe ngo của các chùa tranh tài trên sông."
            ),
            "keywords": ["cúng trăng", "ghe ngo", "cốm dẹp"],
            "season": "",
        },
        "en": {
            "title": "Ok Om Bok Festival",
            "summary": (
                "The Khmer moon-worship festival on the full moon of the 10th lunar month, "
                "thanking the Moon for good weather, with ngo boat races and floating and "
                "sky lanterns."
            ),
            "body": (
                "On the night of the full moon, families set out flattened rice, bananas, "
                "sweet potatoes and coconuts. When the moon rises, elders feed flattened "
                "rice to the children and ask their wishes. The next day, the pagodas' ngo "
                "boat crews race on the river."
            ),
            "keywords": ["moon worship", "ngo boats", "flattened rice"],
            "season": "",
        },
        "media": ["okombok-ghe-ngo", "okombok-video"],
        "people": [("danh-soc-kha", "Người có uy tín trong phum sóc", "Community elder")],
        "editions": [(2022, "Sông Maspero"), (2024, "Sông Maspero")],
        "publish": True,
    },
    {
        "key": "kate",
        "kind": "festival",
        "groups": ["Chăm"],
        "province": "Ninh Thuận",
        "locality": {"vi": "Tháp Pô Klong Garai", "en": "Po Klong Garai towers"},
        "coords": (11.5997, 108.9447),
        "domain": "social_practices",
        "native_name": "Katê",
        "vi": {
            "title": "Lễ hội Katê",
            "summary": (
                "Lễ hội lớn nhất năm của người Chăm theo đạo Bà-la-môn, tưởng nhớ các vị "
                "thần và tổ tiên, tổ chức ở các tháp Chăm và trong làng."
            ),
            "body": (
                "Y trang của thần được rước từ làng người Raglai lên tháp. Các chức sắc tắm "
                "tượng thần, thay y phục và dâng lễ vật; ngoài sân tháp vang tiếng trống "
                "Ginăng, kèn Saranai và điệu múa của thiếu nữ Chăm."
            ),
            "keywords": ["tháp Chăm", "trống Ginăng", "Bà-la-môn"],
            "season": "Đầu tháng 7 lịch Chăm (khoảng tháng 9–10 dương lịch)",
        },
        "en": {
            "title": "Katê Festival",
            "summary": (
                "The largest yearly festival of the Brahmanist Cham, honouring the deities "
                "and ancestors at the Cham towers and in the villages."
            ),
            "body": (
                "The deities' robes are carried from a Raglai village up to the tower. "
                "Dignitaries bathe and dress the statues and present offerings, while the "
                "Ginăng drums, the Saranai oboe and the dances of young Cham women fill the "
                "tower grounds."
            ),
            "keywords": ["Cham towers", "Ginăng drum", "Brahmanism"],
            "season": "Early in the 7th month of the Cham calendar (around September–October)",
        },
        "media": ["kate-thap"],
        # The Chăm calendar sets it: the province announces the days each year.
        "timing": "other_calendar",
        "editions": [
            (2023, "Tháp Pô Klong Garai", datetime.date(2023, 10, 14), datetime.date(2023, 10, 16)),
            (2024, "Tháp Pô Klong Garai", datetime.date(2024, 10, 2), datetime.date(2024, 10, 4)),
        ],
        "publish": True,
    },
    {
        "key": "mung-lua-moi-mnong",
        "kind": "festival",
        "groups": ["M'Nông"],
        "province": "Đắk Nông",
        "locality": {"vi": "Bon Bu Đắk", "en": "Bu Đắk village"},
        "domain": "social_practices",
        "vi": {
            "title": "Lễ mừng lúa mới của người M'Nông",
            "summary": (
                "Sau vụ thu hoạch, mỗi gia đình rồi cả bon làm lễ mừng hồn lúa về kho, mời "
                "Yang và họ hàng ăn cơm mới, uống rượu cần."
            ),
            "body": (
                "Những gùi lúa đầu tiên được đưa về kho trong tiếng chiêng. Già làng khấn "
                "mời thần lúa ở lại với gia đình; rượu cần được mở mời khách, cả bon cùng "
                "múa quanh cây nêu."
            ),
            "keywords": ["hồn lúa", "rượu cần", "cồng chiêng"],
            "season": "Sau mùa gặt, khoảng tháng 11–12 dương lịch",
        },
        "en": {
            "title": "Mnong New Rice Celebration",
            "summary": (
                "After the harvest, each family and then the whole village welcome the rice "
                "soul into the granary, inviting the Yang spirits and relatives to eat the "
                "new rice and drink jar wine."
            ),
            "body": (
                "The first baskets of rice are carried to the granary to the sound of "
                "gongs. The village elder asks the rice spirit to stay with the family; jar "
                "wine is opened for guests and the village dances around the ritual pole."
            ),
            "keywords": ["rice soul", "jar wine", "gongs"],
            "season": "After the harvest, around November–December",
        },
        "publish": True,
    },
    {
        "key": "cung-ben-nuoc",
        "kind": "custom",
        "custom_type": "ritual",
        "groups": ["Ê Đê"],
        "province": "Đắk Lắk",
        "locality": {"vi": "Buôn Kô Sia", "en": "Kô Sia village"},
        "coords": (12.6797, 108.0378),
        "domain": "nature_knowledge",
        "vi": {
            "title": "Lễ cúng bến nước của người Ê Đê",
            "summary": (
                "Lễ tạ ơn thần nước của cả buôn vào mùa khô, sau khi thu hoạch, để nguồn "
                "nước không cạn và người trong buôn khỏe mạnh."
            ),
            "body": (
                "Dân buôn dọn sạch bến nước, sửa máng dẫn. Thầy cúng dâng heo, gà, rượu "
                "cần, khấn thần nước; sau lễ ở bến, cả buôn về nhà dài của chủ bến nước "
                "đánh chiêng, uống rượu."
            ),
            "keywords": ["bến nước", "nhà dài", "thần nước"],
            "season": "Mùa khô, sau thu hoạch (tháng 2–3 dương lịch)",
        },
        "en": {
            "title": "Rhade (Ede) Water Wharf Ceremony",
            "summary": (
                "The whole village thanks the water spirit in the dry season, after the "
                "harvest, so that the spring never runs dry and the villagers stay well."
            ),
            "body": (
                "Villagers clean the wharf and repair the bamboo conduits. The ritual "
                "master offers a pig, chickens and jar wine and prays to the water spirit; "
                "then the village gathers in the longhouse of the wharf's keeper to play "
                "gongs and drink."
            ),
            "keywords": ["water wharf", "longhouse", "water spirit"],
            "season": "Dry season, after the harvest (February–March)",
        },
        "media": ["ben-nuoc-image"],
        "people": [("y-khu-nie", "Già làng, chủ lễ", "Village elder, leads the rite")],
        "testimony": {
            "speaker": "y-khu-nie",
            "language": "Ê Đê",
            "vi": "Bến nước là nơi hồn của buôn. Bến nước sạch thì buôn mới yên.",
            "en": (
                "The wharf is the soul of the village. Only a clean wharf keeps the "
                "village at peace."
            ),
        },
        "publish": True,
    },
    {
        "key": "dam-trau",
        "kind": "festival",
        "groups": ["Ba Na"],
        "province": "Gia Lai",
        "recurrence": "occasional",
        "domain": "social_practices",
        "vi": {
            "title": "Lễ hội đâm trâu của người Ba Na",
            "summary": (
                "Lễ hiến sinh lớn nhất của làng, tổ chức khi mừng nhà rông mới, mừng chiến "
                "thắng hay được mùa lớn, để tạ ơn thần linh."
            ),
            "body": (
                "Trâu được buộc vào cột lễ trang trí hoa văn trước nhà rông. Cả làng đánh "
                "chiêng, múa xoang quanh cột suốt đêm trước; sáng hôm sau những người đàn "
                "ông khỏe mạnh thực hiện nghi thức hiến sinh."
            ),
            "keywords": ["nhà rông", "cột lễ", "hiến sinh"],
            "season": "Mùa khô, sau thu hoạch",
        },
        "en": {
            "title": "Bahnar Buffalo Sacrifice Festival",
            "summary": (
                "The village's greatest sacrificial feast, held to celebrate a new communal "
                "house, a victory or an abundant harvest and to thank the spirits."
            ),
            "body": (
                "The buffalo is tied to a carved ritual post before the communal rông "
                "house. The village plays gongs and dances the xoang around the post all "
                "night; the next morning strong men perform the sacrifice."
            ),
            "keywords": ["communal house", "ritual post", "sacrifice"],
            "season": "Dry season, after the harvest",
        },
        "sensitivity": {
            "vi": "Hồ sơ có mô tả và hình ảnh nghi thức hiến sinh động vật.",
            "en": "This record describes and shows the ritual sacrifice of an animal.",
        },
        "publish": True,
    },
    {
        "key": "xen-ban",
        "kind": "custom",
        "custom_type": "ritual",
        "groups": ["Thái"],
        "province": "Sơn La",
        "locality": {"vi": "Bản Hụm", "en": "Hụm village"},
        "lunar": (3, None),
        "domain": "social_practices",
        "native_name": "Xên bản",
        "vi": {
            "title": "Lễ Xên bản của người Thái",
            "summary": (
                "Lễ cúng thần bản vào tháng Ba âm lịch, cầu cho bản làng bình yên, người và "
                "gia súc khỏe mạnh, mùa màng tốt tươi."
            ),
            "body": (
                "Mỗi gia đình góp gạo, rượu, gà. Thầy mo đọc bài cúng tại miếu thần bản; "
                "sau lễ, dân bản cùng ăn uống, múa xòe và chơi các trò chơi dân gian."
            ),
            "keywords": ["thần bản", "thầy mo", "múa xòe"],
            "season": "",
        },
        "en": {
            "title": "Thai Village Spirit Ceremony (Xên bản)",
            "summary": (
                "The offering to the village spirit in the 3rd lunar month, praying for "
                "peace in the village, healthy people and livestock and good crops."
            ),
            "body": (
                "Each household contributes rice, wine and a chicken. The mo master recites "
                "the prayer at the village shrine; then the village eats together, dances "
                "the xòe circle dance and plays folk games."
            ),
            "keywords": ["village spirit", "mo master", "xòe dance"],
            "season": "",
        },
        "people": [("lo-van-pom", "Thầy mo", "Mo ritual master")],
        "publish": True,
    },
    {
        "key": "pon-poong",
        "kind": "festival",
        "groups": ["Mường"],
        "province": "Thanh Hóa",
        "locality": {"vi": "Xã Ngọc Lặc", "en": "Ngọc Lặc commune"},
        "lunar": (1, None),
        "domain": "performing_arts",
        "native_name": "Pồn Pôông",
        "vi": {
            "title": "Lễ hội Pồn Pôông",
            "summary": (
                "Lễ hội mùa xuân của người Mường ở Thanh Hóa với hàng chục tích trò diễn "
                "mô phỏng lao động, đời sống và muông thú, kéo dài nhiều đêm."
            ),
            "body": (
                "Bà mế dẫn dắt các tích trò bằng lời hát đối đáp; trai gái hóa trang, múa "
                "theo tiếng chiêng và trống. Cây bông nhiều màu sắc đặt giữa sân tượng trưng "
                "cho sự sung túc."
            ),
            "keywords": ["trò diễn", "cây bông", "chiêng Mường"],
            "season": "",
        },
        "en": {
            "title": "Pồn Pôông Festival",
            "summary": (
                "A spring festival of the Mường of Thanh Hóa, with dozens of scenes acting "
                "out farm work, daily life and animals over several nights."
            ),
            "body": (
                "The lead woman singer guides each scene with call-and-response songs; "
                "young men and women in costume dance to gongs and drums. A colourful "
                "flower tree in the middle of the yard stands for abundance."
            ),
            "keywords": ["folk theatre", "flower tree", "Mường gongs"],
            "season": "",
        },
        "media": ["pon-poong-image"],
        "publish": True,
    },
    {
        "key": "roong-pooc",
        "kind": "festival",
        "groups": ["Giáy"],
        "province": "Lào Cai",
        "locality": {"vi": "Xã Tả Van", "en": "Tả Van commune"},
        "lunar": (1, None),
        "timing": "zodiac_day",
        "zodiac_branch": "thin",
        "domain": "social_practices",
        "native_name": "Roóng Poọc",
        "vi": {
            "title": "Lễ hội Roóng Poọc",
            "summary": (
                "Lễ hội xuống đồng của người Giáy vào ngày Thìn tháng Giêng, cầu mưa thuận "
                "gió hòa và mùa màng bội thu."
            ),
            "body": (
                "Thầy cúng làm lễ dưới gốc cây thiêng; dân bản ném còn qua vòng trên cây "
                "nêu, đi cày lượt đầu tiên và hát giao duyên."
            ),
            "keywords": ["xuống đồng", "ngày Thìn", "ném còn"],
            "season": "Ngày Thìn tháng Giêng",
        },
        "en": {
            "title": "Roóng Poọc Festival",
            "summary": (
                "The Giáy going-to-the-fields festival on the Dragon day of the first lunar "
                "month, praying for good rains and an abundant harvest."
            ),
            "body": "",
            "keywords": ["going to the fields"],
            "season": "The Dragon day of the 1st lunar month",
        },
        "publish": "review",
    },
    {
        "key": "kin-pang-then",
        "kind": "festival",
        "groups": ["Thái"],
        "province": "Lai Châu",
        "locality": {"vi": "Xã Mường So", "en": "Mường So commune"},
        "domain": "social_practices",
        "native_name": "Kin Pang Then",
        "vi": {
            "title": "Lễ hội Kin Pang Then",
            "summary": (
                "Lễ hội tạ ơn Then (Trời) của người Thái trắng ở Lai Châu, cầu mưa thuận "
                "gió hòa, với nghi lễ của các thầy mo và hội múa xòe, ném còn, bắn nỏ."
            ),
            "body": (
                "Các thầy mo dâng lễ lên Then và các vị thần bảo hộ mường; sau phần lễ là "
                "các trò chơi, thi tài và những vòng xòe đông người."
            ),
            "keywords": ["Then", "Thái trắng", "múa xòe"],
            "season": "Mùa xuân",
        },
        "en": {
            "title": "Kin Pang Then Festival",
            "summary": (
                "The White Thai festival of thanks to Then (Heaven) in Lai Châu, praying "
                "for good weather, with rites led by mo masters and xòe dancing, còn "
                "throwing and crossbow shooting."
            ),
            "body": (
                "The mo masters make offerings to Then and the guardian spirits of the "
                "domain; games, contests and great xòe circles follow the rites."
            ),
            "keywords": ["Then (Heaven)", "White Thai", "xòe dance"],
            "season": "Spring",
        },
        "publish": True,
    },
    {
        "key": "nhay-lua",
        "kind": "festival",
        "groups": ["Pà Thẻn"],
        "province": "Hà Giang",
        "locality": {"vi": "Xã Tân Bắc", "en": "Tân Bắc commune"},
        "lunar": (10, None),
        "domain": "social_practices",
        "native_name": "Nhảy lửa",
        "vi": {
            "title": "Lễ nhảy lửa của người Pà Thẻn",
            "summary": (
                "Nghi lễ tạ ơn thần linh sau mùa gặt: dưới sự điều khiển của thầy cúng, các "
                "chàng trai nhảy chân trần vào đống than hồng mà không bị bỏng."
            ),
            "body": (
                "Đống lửa lớn được đốt từ chiều. Thầy cúng khấn mời thần, gõ nhịp; khi "
                "“nhập đồng”, các chàng trai lao vào than hồng, tung than lên cao. Lễ cầu "
                "cho bản làng khỏe mạnh, xua đuổi tà ma."
            ),
            "keywords": ["than hồng", "thầy cúng", "tạ ơn mùa"],
            "season": "Từ tháng Mười âm lịch đến tháng Giêng năm sau",
        },
        "en": {
            "title": "Pa Then Fire Dance",
            "summary": (
                "A thanksgiving rite after the harvest: led by the ritual master, young men "
                "dance barefoot on glowing embers without being burnt."
            ),
            "body": (
                "A great fire is lit in the afternoon. The ritual master invokes the "
                "spirits and beats the rhythm; once in trance, the young men leap into the "
                "embers and kick them high. The rite wards off evil and keeps the village "
                "healthy."
            ),
            "keywords": ["embers", "ritual master", "harvest thanks"],
            "season": "From the 10th lunar month to the 1st of the next year",
        },
        "publish": True,
    },
    {
        "key": "tet-nhay",
        "kind": "festival",
        "groups": ["Dao"],
        "province": "Hà Nội",
        "locality": {"vi": "Xã Ba Vì", "en": "Ba Vì commune"},
        "lunar": (12, None),
        "domain": "performing_arts",
        "native_name": "Nhiàng Chầm Đao",
        "vi": {
            "title": "Tết nhảy của người Dao",
            "summary": (
                "Lễ cúng tổ tiên và Bàn Vương dịp cuối năm của người Dao, với các điệu múa "
                "nghi lễ mô phỏng săn bắn, trồng trọt và chiến đấu."
            ),
            "body": (
                "Các thầy cúng vừa khấn vừa múa theo nhịp trống, chiêng, chuông nhạc; những "
                "người đàn ông trong họ cùng nhảy suốt ngày đêm để mời tổ tiên về ăn Tết."
            ),
            "keywords": ["Bàn Vương", "múa nghi lễ", "tổ tiên"],
            "season": "Cuối tháng Chạp",
        },
        "en": {
            "title": "Dao Dancing New Year (Tết nhảy)",
            "summary": (
                "The Dao year-end offering to the ancestors and King Bàn, with ritual "
                "dances miming hunting, farming and battle."
            ),
            "body": (
                "Ritual masters pray and dance to drums, gongs and bells; the men of the "
                "lineage dance with them day and night to invite the ancestors home for the "
                "New Year."
            ),
            "keywords": ["King Bàn", "ritual dance", "ancestors"],
            "season": "Late in the 12th lunar month",
        },
        "publish": True,
    },
    {
        "key": "cau-mua-ha-nhi",
        "kind": "custom",
        "custom_type": "ritual",
        "groups": ["Hà Nhì"],
        "province": "Lai Châu",
        "locality": {"vi": "Xã Mường Tè", "en": "Mường Tè commune"},
        "domain": "nature_knowledge",
        "vi": {
            "title": "Lễ cầu mưa của người Hà Nhì",
            "summary": (
                "Khi nắng hạn kéo dài trước mùa gieo trồng, cả bản làm lễ xin thần trời cho "
                "mưa xuống, nước về ruộng nương."
            ),
            "body": (
                "Lễ làm ở đầu nguồn nước. Thầy cúng khấn, dân bản té nước vào nhau để gọi "
                "mưa; mỗi nhà góp lễ vật, không ai được lên nương trong ngày lễ."
            ),
            "keywords": ["cầu mưa", "đầu nguồn", "nương rẫy"],
            "season": "Cuối mùa khô, trước vụ gieo trồng",
        },
        "en": {
            "title": "Ha Nhi Rain Prayer",
            "summary": (
                "When drought lasts before the sowing season, the village asks the sky "
                "spirit for rain to water the fields."
            ),
            "body": (
                "The rite is held at the water source. The ritual master prays and "
                "villagers splash each other to call the rain; every household brings an "
                "offering and no one goes to the fields that day."
            ),
            "keywords": ["rain prayer", "water source", "swidden fields"],
            "season": "End of the dry season, before sowing",
        },
        "recurrence": "occasional",
        "publish": True,
    },
    {
        "key": "hat-then",
        "kind": "custom",
        "custom_type": "music",
        "groups": ["Tày"],
        "province": "Lạng Sơn",
        "recurrence": "occasional",
        "domain": "performing_arts",
        "native_name": "Then",
        "vi": {
            "title": "Thực hành Then của người Tày",
            "summary": (
                "Nghi lễ hát Then với đàn tính và chùm xóc nhạc, kể hành trình của thầy Then "
                "lên trời cầu an, cầu mùa; được UNESCO ghi danh năm 2019."
            ),
            "body": (
                "Một buổi Then có thể kéo dài nhiều giờ. Thầy Then vừa hát vừa gảy đàn tính, "
                "lắc chùm xóc nhạc, dẫn “đoàn quân âm binh” vượt sông, qua rừng để dâng lễ "
                "lên Ngọc Hoàng."
            ),
            "keywords": ["đàn tính", "thầy Then", "UNESCO"],
            "season": "",
        },
        "en": {
            "title": "Then Practice of the Tay",
            "summary": (
                "Sung rituals accompanied by the tính lute and jingles, telling the Then "
                "master's journey to heaven to pray for peace and harvests; inscribed by "
                "UNESCO in 2019."
            ),
            "body": (
                "A Then session may last for hours. The master sings while plucking the "
                "tính lute and shaking the jingles, leading a spirit army across rivers and "
                "forests to bring offerings to the Jade Emperor."
            ),
            "keywords": ["tính lute", "Then master", "UNESCO"],
            "season": "",
        },
        "media": ["then-dan-tinh", "then-audio"],
        "people": [("nong-thi-hoa", "Nghệ nhân hát Then", "Then singer")],
        "sources": [
            "UNESCO, Practices of Then by Tày, Nùng and Thái ethnic groups in Viet Nam, "
            "Decision 14.COM 10.b.34, 2019."
        ],
        "source_url": "https://ich.unesco.org/en/RL/practices-of-then-by-tay-nung-and-thai-ethnic-groups-in-viet-nam-01379",
        "publish": True,
    },
    {
        "key": "det-co-tu",
        "kind": "custom",
        "custom_type": "craft",
        "groups": ["Cơ Tu"],
        "province": "Quảng Nam",
        "locality": {"vi": "Làng Zơ Ra", "en": "Zơ Ra village"},
        "recurrence": "occasional",
        "domain": "craftsmanship",
        "vi": {
            "title": "Nghề dệt thổ cẩm đính cườm của người Cơ Tu",
            "summary": (
                "Phụ nữ Cơ Tu dệt bằng khung dệt cạp lưng, luồn hạt cườm trắng vào sợi để "
                "tạo hoa văn hình người, cây, sóng nước."
            ),
            "body": (
                "Sợi bông được nhuộm bằng lá cây rừng. Người dệt ngồi duỗi chân, căng khung "
                "bằng lưng; hạt cườm được luồn vào sợi ngang khi dệt, tạo những dải hoa văn "
                "nổi trên nền chàm đen."
            ),
            "keywords": ["dệt cạp lưng", "hạt cườm", "hoa văn"],
            "season": "Quanh năm, nhiều nhất lúc nông nhàn",
        },
        "en": {
            "title": "Katu Bead Weaving",
            "summary": (
                "Katu women weave on backstrap looms, threading white beads into the weft "
                "to make patterns of people, trees and waves."
            ),
            "body": (
                "Cotton is dyed with forest leaves. The weaver sits with her legs stretched "
                "out, tensioning the loom with her back; beads are slipped onto the weft as "
                "she weaves, raising bands of pattern on a dark indigo ground."
            ),
            "keywords": ["backstrap loom", "beads", "patterns"],
            "season": "All year, mostly in the slack season",
        },
        "media": ["co-tu-det"],
        "people": [("le-thi-minh", "Người khảo sát", "Field researcher")],
        "publish": True,
    },
    {
        "key": "bo-ma-gia-rai",
        "kind": "custom",
        "custom_type": "life_cycle",
        "groups": ["Gia Rai"],
        "province": "Gia Lai",
        "locality": {"vi": "Làng Kép", "en": "Kép village"},
        "recurrence": "occasional",
        "domain": "social_practices",
        "native_name": "Pơ thi",
        "vi": {
            "title": "Lễ bỏ mả của người Gia Rai",
            "summary": (
                "Lễ tiễn biệt cuối cùng người đã khuất: sau lễ, hồn người chết về với thế "
                "giới tổ tiên và gia đình thôi để tang."
            ),
            "body": (
                "Gia đình dựng nhà mồ mới, tạc tượng gỗ quanh mồ. Cả làng đánh chiêng, múa "
                "quanh nhà mồ suốt đêm, chia lễ vật cho người chết; sáng ra mọi người rời "
                "mồ, từ đó không chăm sóc mộ nữa."
            ),
            "keywords": ["nhà mồ", "tượng gỗ", "tang lễ"],
            "season": "Mùa khô, sau thu hoạch",
        },
        "en": {
            "title": "Jarai Grave-Leaving Ceremony (Pơ thi)",
            "summary": (
                "The last farewell to the dead: after it, the soul joins the world of the "
                "ancestors and the family ends its mourning."
            ),
            "body": (
                "The family builds a new grave house and carves wooden statues around it. "
                "The village plays gongs and dances around the grave house all night and "
                "shares offerings with the dead; at dawn everyone leaves the grave, which "
                "is no longer tended."
            ),
            "keywords": ["grave house", "wooden statues", "funeral"],
            "season": "Dry season, after the harvest",
        },
        "media": ["bo-ma-nha-mo"],
        "people": [("ro-cham-h-lin", "Nghệ nhân tạc tượng", "Statue carver")],
        "sensitivity": {
            "vi": (
                "Hồ sơ có hình ảnh mộ và nghi lễ tang ma. Một số gia đình không muốn hình "
                "ảnh người đã khuất được xem ngoài cộng đồng."
            ),
            "en": (
                "This record shows graves and funeral rites. Some families do not wish "
                "images of the deceased to be seen outside the community."
            ),
        },
        "publish": True,
    },
]

# Stories: each chapter is a heading, its text, then the records and media it
# draws on (keys of RECORDS and MEDIA), all public and without a warning.
STORIES = [
    {
        "key": "xuong-dong-dau-xuan",
        "lead_image": "longtong-cay-con",
        "vi": {
            "title": "Xuống đồng đầu xuân",
            "intro": (
                "Sau Tết, nhiều dân tộc ở miền núi phía Bắc và Bắc Trung Bộ mở đầu năm mới bằng "
                "những lễ hội cầu mùa: xin trời đất cho mưa thuận gió hòa, người yên vật thịnh."
            ),
        },
        "en": {
            "title": "Going down to the fields in spring",
            "intro": (
                "After the Lunar New Year, many peoples of the northern uplands and north "
                "central Vietnam open the year with festivals for the harvest, asking heaven "
                "and earth for timely rain and a prosperous village."
            ),
        },
        "chapters": [
            {
                "vi": {
                    "heading": "Quả còn qua vòng",
                    "text": (
                        "Với người Tày ở Lạng Sơn, Lồng Tồng là ngày cả bản ra thửa ruộng lớn "
                        "nhất. Thầy Tào khấn thần nông, rồi trai gái tung quả còn về phía vòng "
                        "tròn trên ngọn cây còn: quả còn lọt vòng là điềm một năm được mùa."
                    ),
                    "note": "Lễ cúng và trò chơi của ngày xuống đồng.",
                },
                "en": {
                    "heading": "A còn ball through the ring",
                    "text": (
                        "For the Tay of Lạng Sơn, Lồng Tồng is the day the whole village goes "
                        "out to its widest field. The Tào master prays to the god of "
                        "agriculture, then young men and women throw the còn ball at the ring "
                        "atop the còn pole: a ball through the ring foretells a good harvest."
                    ),
                    "note": "The offerings and games of the day of going to the fields.",
                },
                "media": ["longtong-nem-con"],
                "records": ["long-tong"],
            },
            {
                "vi": {
                    "heading": "Những đêm trò diễn",
                    "text": (
                        "Người Mường ở Thanh Hóa đón xuân bằng Pồn Pôông: nhiều đêm liền, bà mế "
                        "hát dẫn từng tích trò kể chuyện cấy cày, dệt vải, săn bắt, quanh cây "
                        "bông nhiều màu tượng trưng cho sự sung túc."
                    ),
                    "note": "",
                },
                "en": {
                    "heading": "Nights of folk theatre",
                    "text": (
                        "The Mường of Thanh Hóa greet the spring with Pồn Pôông: night after "
                        "night, the lead woman singer guides scenes of ploughing, weaving and "
                        "hunting around a colourful flower tree that stands for abundance."
                    ),
                    "note": "",
                },
                "media": ["pon-poong-image"],
                "records": ["pon-poong"],
            },
            {
                "vi": {
                    "heading": "Tạ ơn Then",
                    "text": (
                        "Ở Lai Châu, người Thái trắng làm lễ Kin Pang Then để tạ ơn Then, vị "
                        "thần cai quản trời, và các thần bảo hộ mường. Các thầy mo dâng lễ; sau "
                        "đó là những vòng xòe đông người, ném còn và bắn nỏ."
                    ),
                    "note": "",
                },
                "en": {
                    "heading": "Thanks to Then",
                    "text": (
                        "In Lai Châu, the White Thai hold Kin Pang Then to thank Then, who "
                        "rules the sky, and the guardian spirits of the domain. The mo masters "
                        "present the offerings; great xòe circles, còn throwing and crossbow "
                        "shooting follow."
                    ),
                    "note": "",
                },
                "media": [],
                "records": ["kin-pang-then"],
            },
            {
                "vi": {
                    "heading": "Khi trời chưa mưa",
                    "text": (
                        "Nếu nắng hạn kéo dài trước vụ gieo, người Hà Nhì ở Mường Tè ra đầu "
                        "nguồn nước làm lễ cầu mưa. Hôm ấy không ai lên nương: cả bản cùng chờ "
                        "nước về ruộng."
                    ),
                    "note": "Lễ chỉ làm những năm hạn hán.",
                },
                "en": {
                    "heading": "When the rain is late",
                    "text": (
                        "If drought lasts before sowing, the Ha Nhi of Mường Tè go to the water "
                        "source to pray for rain. No one works the fields that day: the whole "
                        "village waits for the water to come."
                    ),
                    "note": "Held only in years of drought.",
                },
                "media": [],
                "records": ["cau-mua-ha-nhi"],
            },
        ],
    },
    {
        "key": "ta-on-trang-nuoc-va-lua",
        "lead_image": "ben-nuoc-image",
        "vi": {
            "title": "Tạ ơn trăng, nước và hạt lúa",
            "intro": (
                "Khi mùa màng đã về kho, người Khmer, người Chăm, người Ê Đê và người M'Nông "
                "làm lễ tạ ơn những gì đã nuôi sống cộng đồng: mặt trăng, các vị thần, nguồn "
                "nước và hồn lúa."
            ),
        },
        "en": {
            "title": "Thanks to the moon, the water and the rice",
            "intro": (
                "Once the harvest is in, the Khmer, the Cham, the Rhade (Ede) and the Mnong give "
                "thanks to what has fed their communities: the moon, the deities, the water "
                "source and the soul of the rice."
            ),
        },
        "chapters": [
            {
                "vi": {
                    "heading": "Đêm rằm cúng trăng",
                    "text": (
                        "Rằm tháng Mười âm lịch, người Khmer Nam Bộ bày cốm dẹp, chuối, khoai "
                        "và dừa dưới trăng để tạ ơn thần Mặt Trăng. Hôm sau, ghe ngo của các "
                        "chùa đua nhau trên sông Maspero."
                    ),
                    "note": "",
                },
                "en": {
                    "heading": "The full-moon offering",
                    "text": (
                        "On the full moon of the 10th lunar month, the Khmer of the Mekong "
                        "delta set out flattened rice, bananas, sweet potatoes and coconuts "
                        "under the moon to thank it. The next day, the pagodas' ngo boats race "
                        "on the Maspero river."
                    ),
                    "note": "",
                },
                "media": ["okombok-ghe-ngo"],
                "records": ["ok-om-bok"],
            },
            {
                "vi": {
                    "heading": "Y trang lên tháp",
                    "text": (
                        "Người Chăm theo đạo Bà-la-môn ở Ninh Thuận mở lễ Katê bằng lễ rước y "
                        "trang của thần lên tháp Pô Klong Garai. Ngày lễ theo lịch Chăm, nên "
                        "mỗi năm một khác trên lịch dương."
                    ),
                    "note": "",
                },
                "en": {
                    "heading": "The robes go up to the tower",
                    "text": (
                        "The Brahmanist Cham of Ninh Thuận open Katê by carrying the deities' "
                        "robes up to the Po Klong Garai towers. The Cham calendar sets the "
                        "day, so it moves from year to year on the solar calendar."
                    ),
                    "note": "",
                },
                "media": ["kate-thap"],
                "records": ["kate"],
            },
            {
                "vi": {
                    "heading": "Bến nước, hồn của buôn",
                    "text": (
                        "Mùa khô, người Ê Đê dọn bến nước, sửa máng dẫn và dâng lễ thần nước, "
                        "để nguồn nước không cạn. Già làng Y Khu Niê nói: bến nước sạch thì "
                        "buôn mới yên."
                    ),
                    "note": "Có lời kể của già làng Y Khu Niê.",
                },
                "en": {
                    "heading": "The wharf, soul of the village",
                    "text": (
                        "In the dry season, the Rhade (Ede) clean their water wharf, repair the "
                        "conduits and make offerings to the water spirit, so the spring never "
                        "runs dry. As the elder Y Khu Niê says, only a clean wharf keeps the "
                        "village at peace."
                    ),
                    "note": "With the account of the elder Y Khu Niê.",
                },
                "media": [],
                "records": ["cung-ben-nuoc"],
            },
            {
                "vi": {
                    "heading": "Hồn lúa về kho",
                    "text": (
                        "Sau mùa gặt, người M'Nông đưa những gùi lúa đầu tiên về kho trong "
                        "tiếng chiêng, mời hồn lúa ở lại với gia đình, rồi mời Yang và họ hàng "
                        "ăn cơm mới, uống rượu cần."
                    ),
                    "note": "",
                },
                "en": {
                    "heading": "The rice soul comes home",
                    "text": (
                        "After the harvest, the Mnong carry the first baskets of rice to the "
                        "granary to the sound of gongs, ask the rice soul to stay with the "
                        "family, then invite the Yang spirits and their relatives to eat the "
                        "new rice and drink jar wine."
                    ),
                    "note": "",
                },
                "media": [],
                "records": ["mung-lua-moi-mnong"],
            },
        ],
    },
]
