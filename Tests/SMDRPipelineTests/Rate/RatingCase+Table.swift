import SMDRTestSupport

private typealias Line = CaptureLine

/// The table, every value worked out by hand. Plans not named otherwise: GBP, increment 360 s
/// (0.1 h), no minimum, no grace, hold not billed, no carrier markup. Site `demo` is
/// Europe/London; TK1 is Dana Dee (301), TK2 Eli Eve (302).
extension RatingCase {
    static let all: [RatingCase] = [
        RatingCase(
            name: "0.1 h rounded up: 7 minutes bill 0.2 h",
            codes: [("5101", "UP")],
            plans: ["UP,300.00,GBP,360,0,0,up,leg,false,"],
            rates: ["UP,UP,,,,,"],
            lines: [
                Line.outbound("2026/04/01 09:00:00", talk: 420, code: "5101", callID: 1_001_001),
                Line.outbound("2026/04/01 09:30:00", talk: 360, code: "5101", callID: 1_001_002),
                Line.outbound("2026/04/01 10:00:00", talk: 361, code: "5101", callID: 1_001_003),
            ],
            fees: [
                "UP": [
                    // 360 s is exactly one increment: 360 s = 0.1 h × 300.00 = 30.00.
                    "TK1 2026-04-01 leg 1/1 360→360 s 0.1 h × 300 = 30.00 GBP UP code",
                    // One second more starts the next increment: 720 s = 0.2 h × 300.00 = 60.00.
                    "TK1 2026-04-01 leg 1/1 361→720 s 0.2 h × 300 = 60.00 GBP UP code",
                    // 7 min = 420 s, up to 360 → 720 s = 0.2 h × 300.00 = 60.00 (DESIGN §7's trace).
                    "TK1 2026-04-01 leg 1/1 420→720 s 0.2 h × 300 = 60.00 GBP UP code",
                ]
            ]
        ),
        RatingCase(
            name: "nearest with the 3-minute threshold: 179 s bill nothing, 180 s bill 0.1 h",
            codes: [("5102", "NEAR")],
            plans: ["NEAR,200.00,GBP,360,0,0,nearest,leg,false,"],
            rates: ["NEAR,NEAR,,,,,"],
            lines: [
                Line.outbound("2026/04/01 11:00:00", talk: 179, code: "5102", callID: 1_001_101),
                Line.outbound("2026/04/01 11:30:00", talk: 180, code: "5102", callID: 1_001_102),
                Line.outbound("2026/04/01 12:00:00", talk: 539, code: "5102", callID: 1_001_103),
                Line.outbound("2026/04/01 12:30:00", talk: 540, code: "5102", callID: 1_001_104),
            ],
            fees: [
                "NEAR": [
                    // 179 / 360 = 0.497 → 0 increments: not billed (so not listed here).
                    // 180 / 360 = 0.5 → 1: 360 s = 0.1 h × 200.00 = 20.00.
                    "TK1 2026-04-01 leg 1/1 180→360 s 0.1 h × 200 = 20.00 GBP NEAR code",
                    // 539 / 360 = 1.497 → 1: 360 s = 20.00.
                    "TK1 2026-04-01 leg 1/1 539→360 s 0.1 h × 200 = 20.00 GBP NEAR code",
                    // 540 / 360 = 1.5 → 2: 720 s = 0.2 h × 200.00 = 40.00.
                    "TK1 2026-04-01 leg 1/1 540→720 s 0.2 h × 200 = 40.00 GBP NEAR code",
                ]
            ]
        ),
        RatingCase(
            name: "client_day and leg on the same four 3-minute calls",
            codes: [("5103", "DAY"), ("5104", "LEG")],
            plans: ["DAY,100.00,GBP,360,0,0,nearest,client_day,false,", "LEGN,100.00,GBP,360,0,0,nearest,leg,false,"],
            rates: ["DAY,DAY,,,,,", "LEGN,LEG,,,,,"],
            lines: ["09", "10", "11", "12"].enumerated().flatMap { index, hour in
                [
                    Line.outbound("2026/04/02 \(hour):00:00", talk: 180, code: "5103", callID: 1_001_201 + index),
                    Line.outbound("2026/04/02 \(hour):05:00", talk: 180, code: "5104", callID: 1_001_211 + index),
                ]
            },
            fees: [
                // Summed first: 4 × 180 = 720 s, 720 / 360 = 2 → 720 s = 0.2 h × 100.00 = 20.00.
                "DAY": ["TK1 2026-04-02 client_day 4/4 720→720 s 0.2 h × 100 = 20.00 GBP DAY code"],
                // Each on its own: 180 / 360 = 0.5 → 360 s = 0.1 h × 100.00 = 10.00, four times (0.4 h).
                "LEG": Array(repeating: "TK1 2026-04-02 leg 1/1 180→360 s 0.1 h × 100 = 10.00 GBP LEGN code", count: 4),
            ]
        ),
        RatingCase(
            name: "a minimum of 0.2 h",
            codes: [("5105", "MIN")],
            plans: ["MIN,150.00,GBP,360,720,0,up,leg,false,"],
            rates: ["MIN,MIN,,,,,"],
            lines: [
                Line.outbound("2026/04/02 14:00:00", talk: 60, code: "5105", callID: 1_001_301),
                Line.outbound("2026/04/02 14:30:00", talk: 900, code: "5105", callID: 1_001_302),
            ],
            fees: [
                "MIN": [
                    // 60 s raised to the minimum 720 s, already a multiple of 360: 0.2 h × 150.00 = 30.00.
                    "TK1 2026-04-02 leg 1/1 60→720 s 0.2 h × 150 = 30.00 GBP MIN code",
                    // 900 s is above the minimum; up to 360 → 1080 s = 0.3 h × 150.00 = 45.00.
                    "TK1 2026-04-02 leg 1/1 900→1080 s 0.3 h × 150 = 45.00 GBP MIN code",
                ]
            ]
        ),
        RatingCase(
            name: "a 30-second grace, applied before the minimum",
            codes: [("5106", "GRACE"), ("5118", "GRMIN")],
            plans: ["GRACE,120.00,GBP,360,0,30,up,leg,false,", "GRMIN,100.00,GBP,360,720,30,up,leg,false,"],
            rates: ["GRACE,GRACE,,,,,", "GRMIN,GRMIN,,,,,"],
            lines: [
                Line.outbound("2026/04/02 15:00:00", talk: 29, code: "5106", callID: 1_001_401),
                Line.outbound("2026/04/02 15:30:00", talk: 30, code: "5106", callID: 1_001_402),
                Line.outbound("2026/04/02 16:00:00", talk: 29, code: "5118", callID: 1_001_411),
                Line.outbound("2026/04/02 16:30:00", talk: 45, code: "5118", callID: 1_001_412),
            ],
            fees: [
                // 29 s < 30 s grace: nothing. 30 s is not below it: up to 360 s = 0.1 h × 120.00 = 12.00.
                "GRACE": ["TK1 2026-04-02 leg 1/1 30→360 s 0.1 h × 120 = 12.00 GBP GRACE code"],
                // 29 s: below grace, nothing (the minimum is not reached for: grace comes first).
                // 45 s: past grace, raised to the minimum 720 s = 0.2 h × 100.00 = 20.00.
                "GRMIN": ["TK1 2026-04-02 leg 1/1 45→720 s 0.2 h × 100 = 20.00 GBP GRMIN code"],
            ]
        ),
        RatingCase(
            name: "a rate of 333.33 and half-up amounts",
            codes: [("5107", "ODD"), ("5108", "HALF")],
            plans: ["ODD,333.33,GBP,360,0,0,up,leg,false,", "HALF,100.05,GBP,360,0,0,up,leg,false,"],
            rates: ["ODD,ODD,,,,,", "HALF,HALF,,,,,"],
            lines: [
                Line.outbound("2026/04/03 09:00:00", talk: 300, code: "5107", callID: 1_001_501),
                Line.outbound("2026/04/03 09:30:00", talk: 700, code: "5107", callID: 1_001_502),
                Line.outbound("2026/04/03 10:00:00", talk: 1000, code: "5107", callID: 1_001_503),
                Line.outbound("2026/04/03 11:00:00", talk: 300, code: "5108", callID: 1_001_511),
                Line.outbound("2026/04/03 11:30:00", talk: 1000, code: "5108", callID: 1_001_512),
            ],
            fees: [
                "ODD": [
                    // 0.1 h × 333.33 = 33.333 → 33.33.
                    "TK1 2026-04-03 leg 1/1 300→360 s 0.1 h × 333.33 = 33.33 GBP ODD code",
                    // 700 s up to 720 s: 0.2 h × 333.33 = 66.666 → 66.67.
                    "TK1 2026-04-03 leg 1/1 700→720 s 0.2 h × 333.33 = 66.67 GBP ODD code",
                    // 1000 s up to 1080 s: 0.3 h × 333.33 = 99.999 → 100.00.
                    "TK1 2026-04-03 leg 1/1 1000→1080 s 0.3 h × 333.33 = 100.00 GBP ODD code",
                ],
                "HALF": [
                    // 0.1 h × 100.05 = 10.005 exactly → half-up 10.01 (half-even or binary floating point: 10.00).
                    "TK1 2026-04-03 leg 1/1 300→360 s 0.1 h × 100.05 = 10.01 GBP HALF code",
                    // 0.3 h × 100.05 = 30.015 → 30.02.
                    "TK1 2026-04-03 leg 1/1 1000→1080 s 0.3 h × 100.05 = 30.02 GBP HALF code",
                ],
            ]
        ),
        RatingCase(
            name: "a rate change at midnight",
            codes: [("5109", "MID")],
            plans: ["MIDOLD,100.00,GBP,360,0,0,up,leg,false,", "MIDNEW,200.00,GBP,360,0,0,up,leg,false,"],
            // MIDOLD until 2026-04-03 00:00 (exclusive), MIDNEW from then.
            rates: ["MIDOLD,MID,,,,,2026-04-03", "MIDNEW,MID,,,,2026-04-03,"],
            lines: [
                // Starts a second before midnight and runs past it: the start decides.
                Line.outbound("2026/04/02 23:59:59", talk: 300, code: "5109", callID: 1_001_601),
                Line.outbound("2026/04/03 00:00:00", talk: 300, code: "5109", callID: 1_001_602),
            ],
            fees: [
                "MID": [
                    // 300 s up to 360 s = 0.1 h × 100.00 = 10.00, on the day it started.
                    "TK1 2026-04-02 leg 1/1 300→360 s 0.1 h × 100 = 10.00 GBP MIDOLD code",
                    // 0.1 h × 200.00 = 20.00.
                    "TK1 2026-04-03 leg 1/1 300→360 s 0.1 h × 200 = 20.00 GBP MIDNEW code",
                ]
            ]
        ),
        RatingCase(
            name: "a client+timekeeper plan overrides the client's plan",
            codes: [("5110", "OVR")],
            plans: ["OVRC,100.00,GBP,360,0,0,up,leg,false,", "OVRTK,250.00,GBP,360,0,0,up,leg,false,"],
            rates: ["OVRC,OVR,,,,,", "OVRTK,OVR,,TK1,,,"],
            lines: [
                Line.outbound("2026/04/03 14:00:00", talk: 300, user: .dana, code: "5110", callID: 1_001_701),
                Line.outbound("2026/04/03 14:30:00", talk: 300, user: .eli, code: "5110", callID: 1_001_702),
            ],
            fees: [
                "OVR": [
                    // TK1 has a plan for this client: 0.1 h × 250.00 = 25.00.
                    "TK1 2026-04-03 leg 1/1 300→360 s 0.1 h × 250 = 25.00 GBP OVRTK code",
                    // TK2 falls back to the client's: 0.1 h × 100.00 = 10.00.
                    "TK2 2026-04-03 leg 1/1 300→360 s 0.1 h × 100 = 10.00 GBP OVRC code",
                ]
            ]
        ),
        RatingCase(
            name: "hold time billed and not",
            codes: [("5111", "HOLDY"), ("5112", "HOLDN")],
            plans: ["HOLDY,100.00,GBP,360,0,0,up,leg,true,", "HOLDN,100.00,GBP,360,0,0,up,leg,false,"],
            rates: ["HOLDY,HOLDY,,,,,", "HOLDN,HOLDN,,,,,"],
            lines: [
                Line.outbound("2026/04/06 09:00:00", talk: 300, hold: 120, code: "5111", callID: 1_001_801),
                // Advice of Charge on a plan without carrier_markup_percent: not passed on.
                Line.outbound(
                    "2026/04/06 09:30:00", talk: 300, hold: 120, code: "5112", callID: 1_001_802, callCharge: "0.90", currency: "GBP"
                ),
            ],
            fees: [
                // 300 s talk + 120 s hold = 420 s, up to 720 s = 0.2 h × 100.00 = 20.00.
                "HOLDY": ["TK1 2026-04-06 leg 1/1 420→720 s 0.2 h × 100 = 20.00 GBP HOLDY code"],
                // 300 s talk only, up to 360 s = 0.1 h × 100.00 = 10.00.
                "HOLDN": ["TK1 2026-04-06 leg 1/1 300→360 s 0.1 h × 100 = 10.00 GBP HOLDN code"],
            ]
        ),
        RatingCase(
            name: "a call transferred between two timekeepers under call scope",
            codes: [("5113", "XFER")],
            plans: ["XFER,100.00,GBP,360,0,0,up,call,false,"],
            rates: ["XFER,XFER,,,,,"],
            lines: [
                // Eli answers, transfers to Dana, who enters the code (it applies to both legs).
                Line.outbound("2026/04/06 11:00:00", talk: 200, user: .eli, callID: 1_001_901, continued: true),
                Line.outbound("2026/04/06 11:00:00", talk: 500, user: .dana, code: "5113", callID: 1_001_901),
                // Dana → Eli → back to Dana: Dana's two legs of the call are one charge.
                Line.outbound("2026/04/06 14:00:00", talk: 100, user: .dana, callID: 1_001_902, continued: true),
                Line.outbound("2026/04/06 14:00:00", talk: 100, user: .eli, callID: 1_001_902, continued: true),
                Line.outbound("2026/04/06 14:00:00", talk: 200, user: .dana, code: "5113", callID: 1_001_902),
            ],
            fees: [
                "XFER": [
                    // Call 1001902, Dana: 100 + 200 = 300 s, up to 360 s = 0.1 h × 100.00 = 10.00 (per leg it would be 0.2 h).
                    "TK1 2026-04-06 call 1/2 300→360 s 0.1 h × 100 = 10.00 GBP XFER code",
                    // Call 1001901, Dana: 500 s up to 720 s = 0.2 h = 20.00 (the whole call, 700 s, would also be 0.2 h: Eli would bill nothing).
                    "TK1 2026-04-06 call 1/1 500→720 s 0.2 h × 100 = 20.00 GBP XFER code",
                    // Call 1001902, Eli: 100 s up to 360 s = 10.00.
                    "TK2 2026-04-06 call 1/1 100→360 s 0.1 h × 100 = 10.00 GBP XFER code",
                    // Call 1001901, Eli: 200 s up to 360 s = 10.00.
                    "TK2 2026-04-06 call 1/1 200→360 s 0.1 h × 100 = 10.00 GBP XFER code",
                ]
            ]
        ),
        RatingCase(
            name: "the day the clocks go back under client_day",
            codes: [("5114", "DST")],
            plans: ["DST,100.00,GBP,360,0,0,up,client_day,false,"],
            rates: ["DST,DST,,,,,"],
            lines: [
                Line.outbound("2026/10/24 23:30:00", talk: 200, code: "5114", callID: 1_002_001),
                // 00:30 BST on the 25th is 23:30 UTC on the 24th: the local day decides.
                Line.outbound("2026/10/25 00:30:00", talk: 200, code: "5114", callID: 1_002_002),
                // 01:30 happens twice (BST, then GMT after 02:00 BST became 01:00 GMT).
                Line.outbound("2026/10/25 01:30:00", talk: 200, code: "5114", callID: 1_002_003),
                Line.outbound("2026/10/25 01:30:00", talk: 200, code: "5114", callID: 1_002_004),
                Line.outbound("2026/10/25 23:50:00", talk: 200, code: "5114", callID: 1_002_005),
            ],
            fees: [
                "DST": [
                    // 200 s up to 360 s = 0.1 h × 100.00 = 10.00.
                    "TK1 2026-10-24 client_day 1/1 200→360 s 0.1 h × 100 = 10.00 GBP DST code",
                    // The 25-hour day's four calls: 4 × 200 = 800 s, up to 1080 s = 0.3 h × 100.00 = 30.00.
                    // (By UTC day it would be 400 s → 20.00 on the 24th and 600 s → 20.00 on the 25th.)
                    "TK1 2026-10-25 client_day 4/4 800→1080 s 0.3 h × 100 = 30.00 GBP DST code",
                ]
            ]
        ),
        RatingCase(
            name: "JPY: no decimals",
            codes: [("5115", "YEN")],
            plans: ["YEN,1005,JPY,360,0,0,up,leg,false,"],
            rates: ["YEN,YEN,,,,,"],
            lines: [
                Line.outbound("2026/04/07 09:00:00", talk: 300, code: "5115", callID: 1_002_101),
                Line.outbound("2026/04/07 09:30:00", talk: 2000, code: "5115", callID: 1_002_102),
            ],
            fees: [
                "YEN": [
                    // 0.1 h × 1005 = 100.5 JPY → half-up to the yen: 101.
                    "TK1 2026-04-07 leg 1/1 300→360 s 0.1 h × 1005 = 101 JPY YEN code",
                    // 2000 / 360 = 5.56 → 6 increments = 2160 s = 0.6 h × 1005 = 603.0 → 603.
                    "TK1 2026-04-07 leg 1/1 2000→2160 s 0.6 h × 1005 = 603 JPY YEN code",
                ]
            ]
        ),
        RatingCase(
            name: "carrier cost passed on with a 10 % markup",
            codes: [("5116", "CARRIER")],
            plans: ["CARRIER,100.00,GBP,360,0,0,up,leg,false,10"],
            rates: ["CARRIER,CARRIER,,,,,"],
            lines: [
                Line.outbound("2026/04/07 11:00:00", talk: 300, code: "5116", callID: 1_002_201, callCharge: "2.50", currency: "GBP"),
                Line.outbound("2026/04/07 11:30:00", talk: 300, code: "5116", callID: 1_002_202, callCharge: "1.25", currency: "GBP"),
                Line.outbound("2026/04/07 12:00:00", talk: 300, code: "5116", callID: 1_002_203),
            ],
            fees: [
                // Each 300 s up to 360 s = 0.1 h × 100.00 = 10.00; the fee is the same with or without Advice of Charge.
                "CARRIER": Array(repeating: "TK1 2026-04-07 leg 1/1 300→360 s 0.1 h × 100 = 10.00 GBP CARRIER code", count: 3)
            ],
            expenses: [
                "CARRIER": [
                    // 1.25 × 1.10 = 1.375 → half-up 1.38.
                    "TK1 2026-04-07 1.38 GBP CARRIER",
                    // 2.50 × 1.10 = 2.75.
                    "TK1 2026-04-07 2.75 GBP CARRIER",
                ]
            ]
        ),
        RatingCase(
            name: "a client without a plan is listed, not billed",
            codes: [("5117", "NOPLAN")],
            plans: [],
            rates: [],
            lines: [Line.outbound("2026/04/07 14:00:00", talk: 300, code: "5117", callID: 1_002_301)],
            fees: [:]
        ),
    ]
}
