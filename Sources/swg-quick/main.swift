import Glibc
import SWGQuick

exit(QuickCommand.main(CommandLine.arguments))
