import SWGCore
import Testing

@testable import SWGUAPI
