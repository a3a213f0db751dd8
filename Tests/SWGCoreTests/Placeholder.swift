import Testing

@Test func placeholderSWGCoreTests() { #expect(Bool(true)) }
