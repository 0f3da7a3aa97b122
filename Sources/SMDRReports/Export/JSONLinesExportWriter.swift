import SMDRCore
import SMDRRating

/// `smdr export --format jsonl`: one JSON object per charge, one per line (LF), for scripts and
/// data tools that read JSON lines.
///
/// Members, in order: the CSV export's columns up to `closed` (``CSVExportWriter/columns``, the
/// names of `smdr.charges`, DESIGN §7), then `call_details`, the calls covered in order:
/// `{"call_id":…, "start":"YYYY-MM-DD HH:MM:SS", "direction":"I", "external_number":"…",
/// "external_e164":"…" or null, "external_name":"…", "seconds":…}`. (The array is not called
/// `calls`: that key already holds the count, as in `smdr.charges`, and a JSON object must not
/// repeat a key.)
///
/// Integers are JSON numbers; amounts, hours and rates strings of the exact decimal (`"60.00"`),
/// so no reader rounds them through a binary floating-point number; dates and times strings as
/// in the CSV; a NULL `null`; flags `true`/`false`. Strings are escaped by ``JSONWriter``: a
/// caller's name cannot end its string or the line.
package struct JSONLinesExportWriter: ExportWriter {
    private var json = JSONWriter(capacity: 1024)

    package init() {}

    package mutating func start(into output: inout [UInt8]) {}

    package mutating func append(_ charge: ExportCharge, into output: inout [UInt8]) throws(ExportError) {
        self.json.removeAll()
        self.json.beginObject()
        self.json.member("charge_id", charge.chargeID)
        self.json.member("rating_run", charge.ratingRun)
        self.json.member("kind", charge.kind.rawValue)
        self.json.member("site", charge.site)
        self.json.member("client_id", charge.clientID)
        self.json.member("matter_id", charge.matterID)
        self.json.member("code", charge.code)
        self.json.member("timekeeper_id", charge.timekeeperID)
        self.json.member("timekeeper_name", charge.timekeeperName)
        self.json.member("charge_date", charge.chargeDate.description)
        self.json.member("scope", charge.scope)
        self.json.member("calls", charge.callCount)
        self.json.member("legs", charge.legCount)
        self.json.member("raw_seconds", charge.rawSeconds)
        self.json.member("billed_seconds", charge.billedSeconds)
        self.json.member("billed_hours", charge.billedHours)
        self.json.member("hourly_rate", charge.hourlyRate)
        self.json.member("amount", charge.amount)
        self.json.member("currency", charge.currency)
        self.json.member("plan_id", charge.planID)
        self.json.member("rule", charge.rule)
        self.json.member("trace", charge.trace)
        self.json.member("client_name", charge.clientName)
        self.json.member("matter_name", charge.matterName)
        self.json.member("timekeeper_classification", charge.timekeeperClassification)
        self.json.member("blocked", charge.blocked)
        self.json.member("first_start_local", charge.firstStartLocal.description)
        self.json.member("closed", charge.closed)
        self.json.key("call_details")
        self.json.beginArray()
        for call in charge.calls {
            self.json.beginObject()
            self.json.member("call_id", call.callID)
            self.json.member("start", call.start.description)
            self.json.member("direction", call.direction)
            self.json.member("external_number", call.externalNumber)
            self.json.member("external_e164", call.externalE164)
            self.json.member("external_name", call.externalName)
            self.json.member("seconds", call.seconds)
            self.json.endObject()
        }
        self.json.endArray()
        self.json.endObject()
        self.json.appendRaw(UInt8(ascii: "\n"))
        output += self.json.bytes
    }

    package mutating func finish(into output: inout [UInt8]) throws(ExportError) {}
}
