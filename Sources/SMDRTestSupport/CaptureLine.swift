/// 30-field IP Office SMDR lines for the rating tests: one internal user (`E…`) talking to an
/// external trunk (`T…`), so every leg is billable time; Hold Time (field 16) and Advice of Charge
/// (fields 21 Call Charge and 22 Currency) as given. The trunk's Party2Name (field 15) is the
/// external party's name (`smdr.usage_report.external_name`): `Line 1.1` unless a caller name is
/// given (it must hold no comma: SMDR fields are not quoted). Shared by the pipeline's and the
/// web app's tests.
package enum CaptureLine {
    /// A user on the PBX: extension and user name (the timekeepers CSV maps them to TK1, TK2).
    package struct User {
        package var extensionNumber: String
        package var name: String

        package init(extensionNumber: String, name: String) {
            self.extensionNumber = extensionNumber
            self.name = name
        }

        /// TK1.
        package static let dana = User(extensionNumber: "301", name: "Dana Dee")
        /// TK2.
        package static let eli = User(extensionNumber: "302", name: "Eli Eve")
    }

    /// An outbound leg: `user` dialled `number` (not a registered client number), with `code`
    /// entered (matching rule `code`). `start` is the PBX's local `YYYY/MM/DD HH:MM:SS`.
    package static func outbound(
        _ start: String, talk: Int, hold: Int = 0, user: User = .dana, code: String = "", callID: Int, continued: Bool = false,
        number: String = "01632960555", callCharge: String = "", currency: String = "", callerName: String = "Line 1.1"
    ) -> String {
        Self.line(
            start, talk: talk, hold: hold, caller: user.extensionNumber, direction: "O", called: number, code: code, callID: callID,
            continued: continued, user: user, callCharge: callCharge, currency: currency, callerName: callerName
        )
    }

    /// An inbound leg from `number` answered by `user`.
    package static func inbound(
        _ start: String, talk: Int, hold: Int = 0, user: User = .dana, code: String = "", callID: Int, continued: Bool = false,
        number: String, callerName: String = "Line 1.1"
    ) -> String {
        Self.line(
            start, talk: talk, hold: hold, caller: number, direction: "I", called: user.extensionNumber, code: code, callID: callID,
            continued: continued, user: user, callCharge: "", currency: "", callerName: callerName
        )
    }

    private static func line(
        _ start: String, talk: Int, hold: Int, caller: String, direction: String, called: String, code: String, callID: Int,
        continued: Bool, user: User, callCharge: String, currency: String, callerName: String
    ) -> String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let connected = "\(two(talk / 3600)):\(two(talk / 60 % 60)):\(two(talk % 60))"
        // Fields 1–17, then 18 Auth Valid, 19 Auth Code, 20 User Charged (empty), 21 Call Charge,
        // 22 Currency, and 23–30 empty.
        return "\(start),\(connected),3,\(caller),\(direction),\(called),\(called),\(code),0,\(callID),\(continued ? 1 : 0),"
            + "E\(user.extensionNumber),\(user.name),T9001,\(callerName),\(hold),0,,,,\(callCharge),\(currency),,,,,,,,"
    }
}
