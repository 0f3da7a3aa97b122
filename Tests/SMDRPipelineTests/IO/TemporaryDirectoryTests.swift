import Foundation
#if canImport(Glibc)
import Glibc  // stat: with SMDRWeb in the graph, CNIOLinux's would be picked otherwise
#endif
import SMDRPipeline
import SMDRTestSupport
import Testing

/// The private directory a print works in: only its owner can enter it, and it goes with all it
/// holds, without following a link out of it.
@Suite struct TemporaryDirectoryTests {
    @Test func isPrivateAndRemovedWithItsTreeButNotWhatItsLinksPointAt() async throws {
        try await withTemporaryDirectory { outside in
            let victim = outside + "/victim"
            try Data("kept".utf8).write(to: URL(fileURLWithPath: victim))
            try FileManager.default.createDirectory(atPath: outside + "/kept", withIntermediateDirectories: false)

            var path = ""
            do {
                let directory = try TemporaryDirectory(prefix: "smdr-test")
                path = directory.path
                let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
                #expect(path.hasPrefix(base + "/smdr-test."))
                #expect(path.count == base.count + "/smdr-test.".count + 6)
                // Through FileManager: `stat` is ambiguous (Glibc, CNIOLinux) since this target links NIO.
                let attributes = try FileManager.default.attributesOfItem(atPath: path)
                #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
                #expect((attributes[.ownerAccountID] as? NSNumber)?.uint32Value == geteuid())
                #expect(attributes[.type] as? FileAttributeType == .typeDirectory)

                // A tree like a browser profile's, with links to a file and a directory outside.
                try FileManager.default.createDirectory(atPath: path + "/profile/Default", withIntermediateDirectories: true)
                try Data("x".utf8).write(to: URL(fileURLWithPath: path + "/profile/Default/Preferences"))
                try FileManager.default.createSymbolicLink(atPath: path + "/profile/SingletonLock", withDestinationPath: victim)
                try FileManager.default.createSymbolicLink(atPath: path + "/profile/Kept", withDestinationPath: outside + "/kept")
            }

            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(try String(contentsOfFile: victim, encoding: .utf8) == "kept")
            #expect(FileManager.default.fileExists(atPath: outside + "/kept"))
        }
    }

    @Test func aBaseThatCannotTakeADirectoryIsAnError() throws {
        // Not by changing TMPDIR (tests run in parallel in this process): a prefix naming a
        // directory that does not exist fails the same way.
        let error = try #require(throws: OutputFileError.self) {
            _ = try TemporaryDirectory(prefix: "no-such-directory-\(getpid())/smdr")
        }
        #expect(error.action == "create a temporary directory in")
        #expect(error.errorNumber == ENOENT)
    }
}
