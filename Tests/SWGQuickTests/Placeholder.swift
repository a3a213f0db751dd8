import Testing

@Test func placeholderSWGQuickTests() { #expect(Bool(true)) }
