import SMDRCore
import Testing

struct SiteNameTests {
    @Test func acceptsNamesWithSpacesAndAccentsAndRefusesUnsafeOnes() {
        for name in ["hq", "Main Office", "Zürich", "東京", "a.b_c-d", String(repeating: "ü", count: 100)] {
            #expect(SiteName.problem(with: name) == nil, "\(name)")
        }
        for name in ["", ".hidden", "..", "a/b", "back\\slash", "tab\there", "nul\u{0}", String(repeating: "a", count: 101)] {
            let problem = SiteName.problem(with: name)
            #expect(problem?.contains("expected 1 to 100 characters") == true, "\(name)")
        }
    }

    @Test func plainNamesKeepTheirJournalDirectoryAndOthersAreEncoded() {
        #expect(SiteName.journalDirectoryName(for: "hq") == "hq")
        #expect(SiteName.journalDirectoryName(for: "branch-2.old_1") == "branch-2.old_1")
        #expect(SiteName.journalDirectoryName(for: "Main Office") == "Main%20Office")
        #expect(SiteName.journalDirectoryName(for: "Zürich") == "Z%C3%BCrich")
        // A name that looks like an encoding is itself encoded, so the two never meet.
        #expect(SiteName.journalDirectoryName(for: "Main%20Office") == "Main%2520Office")
        // Composed and decomposed ü are different bytes, so different directories.
        #expect(SiteName.journalDirectoryName(for: "Zu\u{308}rich") == "Zu%CC%88rich")
    }

    @Test func longNamesGetAShortDirectoryThatStillDiffers() {
        let first = String(repeating: "ü", count: 99) + "a"
        let second = String(repeating: "ü", count: 99) + "b"
        let one = SiteName.journalDirectoryName(for: first)
        let two = SiteName.journalDirectoryName(for: second)
        #expect(one != two)
        for directory in [one, two] {
            #expect(directory.utf8.count <= SiteName.maximumDirectoryNameLength)
            #expect(directory.contains("~") && !directory.contains("/"))
            #expect(!directory.split(separator: "~")[0].hasSuffix("%"))
        }
        #expect(SiteName.journalDirectoryName(for: String(repeating: "a", count: 100)) == String(repeating: "a", count: 100))
    }
}
