import Testing

@Test func placeholderSWGConfigTests() { #expect(Bool(true)) }
