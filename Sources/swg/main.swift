import Glibc
import SWGCLI

exit(SWG.main(CommandLine.arguments))
