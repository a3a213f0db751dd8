import Testing

@Test func placeholderSWGCLITests() { #expect(Bool(true)) }
