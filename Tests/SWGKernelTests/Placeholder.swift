import Testing

@Test func placeholderSWGKernelTests() { #expect(Bool(true)) }
