import SMDRCore

/// `smdr report --format json`: the report as one JSON object and a final LF, for scripts:
/// `{"from":"YYYY-MM-DD", "to":…, "clients":[…], "matters":[…], "timekeepers":[…], "days":[…],
/// "review_queue":{"calls":…, "seconds":…}, "unrated":{"legs":…, "seconds":…}}`.
///
/// Each line is `{"key", "label", "currency", "charges", "calls", "raw_seconds", "billed_hours",
/// "fees", "expenses", "total"}`, counts as numbers and hours and amounts as strings of the exact
/// decimal (`"60.00"`), as the JSON-lines export writes them; strings escaped by ``JSONWriter``.
package enum ReportJSON {
    package static func bytes(_ report: BillingReport) -> [UInt8] {
        var json = JSONWriter(capacity: 4096)
        json.beginObject()
        json.member("from", report.from.description)
        json.member("to", report.to.description)
        for (name, lines) in [
            ("clients", report.clients), ("matters", report.matters), ("timekeepers", report.timekeepers), ("days", report.days),
        ] {
            json.key(name)
            json.beginArray()
            for line in lines {
                json.beginObject()
                json.member("key", line.key)
                json.member("label", line.label)
                json.member("currency", line.currency)
                json.member("charges", line.charges)
                json.member("calls", line.calls)
                json.member("raw_seconds", line.rawSeconds)
                json.member("billed_hours", line.billedHours)
                json.member("fees", line.fees)
                json.member("expenses", line.expenses)
                json.member("total", line.total)
                json.endObject()
            }
            json.endArray()
        }
        json.key("review_queue")
        json.beginObject()
        json.member("calls", report.reviewQueueCalls)
        json.member("seconds", report.reviewQueueSeconds)
        json.endObject()
        json.key("unrated")
        json.beginObject()
        json.member("legs", report.unratedLegs)
        json.member("seconds", report.unratedSeconds)
        json.endObject()
        json.endObject()
        json.appendRaw(UInt8(ascii: "\n"))
        return json.bytes
    }
}
