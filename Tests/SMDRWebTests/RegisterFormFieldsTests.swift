import SMDRWeb
import Testing

/// `FormFields`, which every POST goes through (the register's upload is its multipart case).
@Suite struct RegisterFormFieldsTests {
    @Test func urlEncodedPlusPercentBadPercentAndRepeatedNames() {
        let form = FormFields.urlEncoded(Array("a=1&b=x+y%21&c=%zz&d=50%&e=%4&f&&a=2&g=%C3%A9&h=%FF&i=a%3Db%26c&=v".utf8))
        #expect(form.all("a") == ["1", "2"])
        #expect(form["a"] == "1")
        #expect(form["b"] == "x y!")
        #expect(form["c"] == "%zz")
        #expect(form["d"] == "50%")
        #expect(form["e"] == "%4")
        #expect(form["f"] == "")
        #expect(form["g"] == "é")
        #expect(form["h"] == "\u{FFFD}")
        #expect(form["i"] == "a=b&c")
        #expect(form[""] == "v")
        #expect(form["missing"] == nil)
        #expect(form.fields.count == 11)
    }

    @Test func anEmptyBodyHasNoFields() throws {
        #expect(FormFields.urlEncoded([]).fields.isEmpty)
        #expect(try FormFields.parse(contentType: "application/x-www-form-urlencoded; charset=UTF-8", body: Array("a=%20".utf8))["a"] == " ")
    }

    /// A browser's upload: a text field and a CSV file with CRLF lines and a `"` in a value.
    @Test func multipartWithAFileKeepsItsBytes() throws {
        let csv = "number,match,code,blocked,note\r\n+441632960100,exact,4100,true,\"said \"\"no\"\"\"\r\n"
        let body = [
            "preamble to ignore\r\n",
            "--XyZ\r\n",
            "Content-Disposition: form-data; name=\"kind\"\r\n\r\n",
            "numbers\r\n",
            "--XyZ\r\n",
            "Content-Disposition: form-data; name=\"file\"; filename=\"a; name=evil.csv\"\r\n",
            "Content-Type: text/csv\r\n\r\n",
            csv, "\r\n",
            "--XyZ--\r\n",
            "epilogue",
        ].joined()
        let form = try FormFields.parse(contentType: "multipart/form-data; boundary=\"XyZ\"", body: Array(body.utf8))
        #expect(form["kind"] == "numbers")
        #expect(form["file"] == csv)
        #expect(form.fields.map(\.name) == ["kind", "file"])
        let upload = try #require(form.upload("file"))
        #expect(upload.fileName == "a; name=evil.csv")
        #expect(upload.bytes == Array(csv.utf8))
        #expect(form.upload("kind") == nil)
    }

    @Test func multipartFileBytesThatAreNotUTF8StayAsSent() throws {
        var body = Array("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.csv\"\r\n\r\n".utf8)
        body += [0x61, 0xFF, 0x0D, 0x0A, 0x62]
        body += Array("\r\n--b--".utf8)
        let form = try FormFields.parse(contentType: "multipart/form-data; boundary=b", body: body)
        #expect(form.upload("file")?.bytes == [0x61, 0xFF, 0x0D, 0x0A, 0x62])
        #expect(form["file"] == "a\u{FFFD}\r\nb")
    }

    @Test func anEmptyFileInputIsAnEmptyUpload() throws {
        let body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n--b--\r\n"
        let form = try FormFields.parse(contentType: "multipart/form-data; boundary=b", body: Array(body.utf8))
        #expect(form["file"] == "")
        #expect(form.upload("file")?.bytes == [])
    }

    @Test func parametersMayBeQuotedWithEscapesOrNot() {
        #expect(FormFields.parameter("name", in: " form-data; name=kind") == "kind")
        #expect(FormFields.parameter("name", in: " form-data; filename=\"name=x\"; name=\"y\"") == "y")
        #expect(FormFields.parameter("name", in: " form-data; NAME=\"a\\\"b\"") == "a\"b")
        #expect(FormFields.parameter("boundary", in: "multipart/form-data;boundary=----abc") == "----abc")
        #expect(FormFields.parameter("name", in: "form-data") == nil)
    }

    @Test func malformedMultipartBodiesAreRefused() {
        let type = "multipart/form-data; boundary=b"
        // No boundary parameter.
        #expect(throws: FormFields.ParseError.self) { try FormFields.parse(contentType: "multipart/form-data", body: Array("--b--".utf8)) }
        #expect(throws: FormFields.ParseError.self) { try FormFields.parse(contentType: "multipart/form-data; boundary=", body: []) }
        // The boundary never appears.
        #expect(throws: FormFields.ParseError.self) { try FormFields.parse(contentType: type, body: Array("a=1".utf8)) }
        // Truncated: the part never ends (an upload cut short must not import half a file).
        #expect(throws: FormFields.ParseError.self) {
            try FormFields.parse(contentType: type, body: Array("--b\r\nContent-Disposition: form-data; name=\"csv\"\r\n\r\ncode,client".utf8))
        }
        // A part without a name.
        #expect(throws: FormFields.ParseError.self) {
            try FormFields.parse(contentType: type, body: Array("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--".utf8))
        }
        // A part without headers.
        #expect(throws: FormFields.ParseError.self) { try FormFields.parse(contentType: type, body: Array("--b\r\nx\r\n--b--".utf8)) }
        // Something else than a form.
        #expect(throws: FormFields.ParseError.self) { try FormFields.parse(contentType: "application/json", body: Array("{}".utf8)) }
    }
}
