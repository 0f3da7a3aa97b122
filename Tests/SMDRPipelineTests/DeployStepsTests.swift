import Foundation
import SMDRTestSupport
import Testing

/// The install steps at the top of `deploy/smdr.service` work as written: scripts/check-deploy.sh
/// runs them verbatim in a scratch root (system changes faked, as it says) with the built `smdr`,
/// starts the service as the unit would, and checks the files, the site and the running service.
struct DeployStepsTests {
    private static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(.timeLimit(.minutes(5))) func theInstallStepsOfTheUnitWorkVerbatim() async throws {
        let script = Self.root.appendingPathComponent("scripts/check-deploy.sh").path
        let result = try await TestProcess.run("/bin/bash", [script, TestProcess.smdrExecutable], timeout: .seconds(240))
        #expect(result.status == 0, "check-deploy.sh failed:\n\(result.standardOutput)\n\(result.standardError)")
        #expect(result.standardOutput.contains("check-deploy: OK"))
    }
}
