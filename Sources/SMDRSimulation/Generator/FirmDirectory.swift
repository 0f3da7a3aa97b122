import SMDRCore

/// The simulated customer: a law firm with four offices on one IP Office Small Community Network.
///
/// Telephone numbers come from ranges reserved for drama and documentation (Ofcom's 01632 960xxx,
/// 020 7946 0xxx, 0161 496 0xxx, 0131 496 0xxx, 07700 900xxx; North American 555-01xx), and server
/// addresses from the documentation ranges (RFC 5737), so generated data never names a real line
/// or host.
struct FirmDirectory: Sendable {
    struct Site: Sendable {
        var name: String
        /// Extensions `firstExtension ..< firstExtension + staffCount`.
        var firstExtension: Int
        var staffCount: Int
        /// Trunk line numbers; device code `T<9000 + line>`.
        var lines: [Int]
        /// Channels per line (30 for ISDN PRI, 2 for BRI, 8 for SIP).
        var channels: Int
        /// Server IP address printed in fields 31 and 33.
        var serverIP: [UInt8]
        /// DDI numbers are this prefix plus the last `ddiDigits` digits of the extension.
        var ddiPrefix: [UInt8]
        var ddiDigits: Int
        /// The digit dialled for an outside line (`9` in the UK, `0` in Ireland).
        var outsideLinePrefix: UInt8
        /// Whether the site's ISDN trunks deliver Advice of Charge.
        var hasAdviceOfCharge: Bool
        /// Indices into ``FirmDirectory/staff`` of this site's people.
        var staff: Range<Int> = 0..<0
    }

    struct Person: Sendable {
        var site: Int
        var extensionNumber: Int
        /// `2001`
        var number: [UInt8]
        /// `E2001`
        var deviceCode: [UInt8]
        var name: [UInt8]
        /// The DDI that rings this person directly.
        var ddi: [UInt8]
        /// A mobile twin number, for people with mobile twinning.
        var mobile: [UInt8]?
    }

    var sites: [Site]
    var staff: [Person]
    /// The reception hunt group (London): its number, name and the people in it.
    let receptionGroupNumber: [UInt8] = Array("200".utf8)
    let receptionGroupName: [UInt8] = Array("Reception".utf8)
    var receptionists: [Int] = []
    /// Matter numbers and client codes used as account codes.
    var accountCodes: [[UInt8]]

    static let names: [String] = [
        "Reception", "Jo Smith", "Alice Hale", "Tom Whitaker", "Priya Patel", "Conor O'Brien", "Zoë Ångström",
        "Тароватова М", "D'Arcy Fitzgerald", "José Núñez", "Hamish MacLeod", "François Lefèvre", "Grace Chen",
        "Иван Петров", "Mary-Kate O'Neill", "Jürgen Müller", "Oluwaseun Adeyemi", "Siobhán Murphy", "Ben Carter",
        "Ольга Смирнова", "Renée Dubois", "Łukasz Wiśniewski", "Sarah Dunn", "Seán Ó Briain", "Fiona McAllister",
        "Дмитрий Козлов", "Noémie Girard", "Rhys Llewellyn", "İlkay Şahin", "Emily Shaw", "Søren Lindqvist",
        "Анна Волкова", "James Holloway", "Ana Ćorić", "Aoife Ní Bhriain", "Νίκος Παππάς", "Accounts",
        "Conf Room 2", "VIRTUAL SPP 3", "Сергей Орлов", "Kate O'Hara", "Dev Anand", "Lucía Fernández",
    ]

    init() {
        self.sites = [
            Site(name: "London", firstExtension: 2000, staffCount: 60, lines: [1, 2, 3, 4], channels: 30,
                 serverIP: Array("192.0.2.10".utf8), ddiPrefix: Array("0207946".utf8), ddiDigits: 4,
                 outsideLinePrefix: ASCII.nine, hasAdviceOfCharge: true),
            Site(name: "Manchester", firstExtension: 3000, staffCount: 30, lines: [11, 12], channels: 30,
                 serverIP: Array("198.51.100.20".utf8), ddiPrefix: Array("0161496".utf8), ddiDigits: 4,
                 outsideLinePrefix: ASCII.nine, hasAdviceOfCharge: false),
            Site(name: "Edinburgh", firstExtension: 4000, staffCount: 20, lines: [21], channels: 8,
                 serverIP: Array("203.0.113.30".utf8), ddiPrefix: Array("0131496".utf8), ddiDigits: 4,
                 outsideLinePrefix: ASCII.nine, hasAdviceOfCharge: false),
            Site(name: "Dublin", firstExtension: 5000, staffCount: 15, lines: [31], channels: 2,
                 serverIP: Array("192.0.2.40".utf8), ddiPrefix: Array("003531555".utf8), ddiDigits: 3,
                 outsideLinePrefix: ASCII.zero, hasAdviceOfCharge: false),
        ]
        self.staff = []
        var nameIndex = 0
        for siteIndex in self.sites.indices {
            let first = self.staff.count
            let site = self.sites[siteIndex]
            for offset in 0..<site.staffCount {
                let extensionNumber = site.firstExtension + offset
                var number: [UInt8] = []
                LineWriter.appendDecimal(extensionNumber, to: &number)
                // Every ninth extension has no user name configured, as on real systems.
                let name = offset % 9 == 8
                    ? Array("Extn".utf8) + number
                    : Array(Self.names[nameIndex % Self.names.count].utf8)
                if offset % 9 != 8 { nameIndex += 1 }
                let ddi = site.ddiPrefix + number.suffix(site.ddiDigits)
                var mobile: [UInt8]?
                if offset % 5 == 2 {
                    mobile = Array("07700900".utf8)
                    LineWriter.appendPadded((extensionNumber * 7) % 1000, digits: 3, to: &mobile!)
                }
                self.staff.append(Person(
                    site: siteIndex, extensionNumber: extensionNumber, number: number,
                    deviceCode: [ASCII.upperE] + number, name: name, ddi: ddi, mobile: mobile))
            }
            self.sites[siteIndex].staff = first..<self.staff.count
        }
        self.receptionists = [0, 1, 2]
        self.accountCodes = ["1001", "1002", "1017", "20457", "20458", "31990", "ACME01", "HALE-2231", "PROBONO",
                             "M4471", "GEN"].map { Array($0.utf8) }
    }
}
