import Testing

@Test func placeholderSWGUAPITests() { #expect(Bool(true)) }
