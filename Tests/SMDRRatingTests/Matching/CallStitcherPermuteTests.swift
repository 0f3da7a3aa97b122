@testable import SMDRRating
import Testing

/// The in-place reordering the stitcher ends with: the same as building the reordered array anew.
@Suite struct CallStitcherPermuteTests {
    @Test(arguments: [0, 1, 2, 5, 64, 1_000])
    func matchesAFreshArray(count: Int) {
        var generator = PackedKeyTableTests.Seeded(state: UInt64(count))
        let elements = (0..<count).map { "element \($0)" }
        let source = Array(elements.indices).shuffled(using: &generator)
        var permuted = elements
        CallStitcher.permute(&permuted, to: source)
        #expect(permuted == source.map { elements[$0] })
    }

    @Test func identityAndOneSwap() {
        var identity = ["a", "b", "c"]
        CallStitcher.permute(&identity, to: [0, 1, 2])
        #expect(identity == ["a", "b", "c"])
        var swapped = ["a", "b", "c"]
        CallStitcher.permute(&swapped, to: [0, 2, 1])
        #expect(swapped == ["a", "c", "b"])
    }
}
