/// What a signed-in user may do. Each role can do everything the one before it can.
package enum WebRole: String, Sendable, CaseIterable, Comparable {
    /// Reads every page; changes nothing (the server refuses, whatever the page shows).
    case viewer
    /// Assigns codes from the review queue and edits the register.
    case billing
    /// Also manages the web app's users.
    case admin

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .billing: 1
        case .admin: 2
        }
    }

    package static func < (lhs: WebRole, rhs: WebRole) -> Bool { lhs.rank < rhs.rank }
}
