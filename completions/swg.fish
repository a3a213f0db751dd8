# fish completion for swg(8), a drop-in replacement for wg(8).
# Installed as .../fish/vendor_completions.d/swg.fish.

function __swg_interfaces --argument-names cmd
    string split -n ' ' -- ($cmd show interfaces 2>/dev/null)
end

# Prints the candidates for the token under the cursor, one per line, each with a
# tab and a description. Prints "@files" when file names are wanted instead.
function __swg_candidates
    set -l tok (commandline -opc)
    set -l n (count $tok)
    set -l cmd $tok[1]
    if test $n -eq 1
        printf '%s\t%s\n' \
            show 'Show the configuration and state of interfaces' \
            showconf 'Print the configuration of an interface' \
            set 'Change the configuration, add, change or remove peers' \
            setconf 'Apply a configuration file to an interface' \
            addconf 'Append a configuration file to an interface' \
            syncconf 'Synchronise an interface with a configuration file' \
            genkey 'Generate a private key' \
            genpsk 'Generate a preshared key' \
            pubkey 'Derive a public key from a private key on stdin' \
            help 'Show the usage' \
            version 'Show the version'
        if string match -q -- '-*' (commandline -ct)
            printf '%s\t%s\n' --help 'Show the usage' --version 'Show the version'
        end
        return
    end
    switch $tok[2]
        case show
            # `show [IFACE | all | interfaces] [FIELD]`, or swg's
            # `show [IFACE | all] --json [--show-keys]` (the options may go anywhere).
            set -l pos
            set -l flags --json --show-keys
            for w in $tok[3..-1]
                switch $w
                    case --json --show-keys
                        set -e flags[(contains -i -- $w $flags)]
                    case '*'
                        set -a pos $w
                end
            end
            set -l cur (commandline -ct)
            if not contains -- --json $flags
                if test (count $pos) -eq 0; and not string match -q -- '-*' $cur
                    for i in (__swg_interfaces $cmd)
                        printf '%s\t%s\n' $i 'WireGuard interface'
                    end
                    printf '%s\t%s\n' all 'All interfaces'
                else if test (count $pos) -le 1
                    for f in $flags
                        printf '%s\t%s\n' $f 'Include private and preshared keys'
                    end
                end
            else if test (count $pos) -eq 0
                if string match -q -- '-*' $cur
                    printf '%s\t%s\n' --json 'All interfaces, as JSON'
                else
                    for i in (__swg_interfaces $cmd)
                        printf '%s\t%s\n' $i 'WireGuard interface'
                    end
                    printf '%s\t%s\n' all 'All interfaces' interfaces 'Names of the interfaces'
                end
            else if test (count $pos) -eq 1; and test "$pos[1]" != interfaces
                printf '%s\t%s\n' \
                    public-key 'Public key of the interface' \
                    private-key 'Private key of the interface' \
                    listen-port 'UDP port' \
                    fwmark 'Firewall mark' \
                    peers 'Public keys of the peers' \
                    preshared-keys 'Preshared key of each peer' \
                    endpoints 'Endpoint of each peer' \
                    allowed-ips 'Allowed IPs of each peer' \
                    latest-handshakes 'Time of the latest handshake of each peer' \
                    persistent-keepalive 'Keepalive interval of each peer' \
                    transfer 'Bytes received and sent per peer' \
                    dump 'Everything, tab separated' \
                    --json 'Everything, as JSON'
            end
        case showconf
            if test $n -eq 2
                for i in (__swg_interfaces $cmd)
                    printf '%s\t%s\n' $i 'WireGuard interface'
                end
            end
        case setconf addconf syncconf
            if test $n -eq 2
                for i in (__swg_interfaces $cmd)
                    printf '%s\t%s\n' $i 'WireGuard interface'
                end
            else if test $n -eq 3
                echo @files
            end
        case set
            if test $n -eq 2
                for i in (__swg_interfaces $cmd)
                    printf '%s\t%s\n' $i 'WireGuard interface'
                end
                return
            end
            # Replay the words before the cursor as `set` parses them: device keywords
            # until the first `peer`, then peer keywords; every keyword but `remove`
            # and `update-only` takes one value.
            set -l pending ''
            set -l in_peer 0
            set -l removed 0
            set -l used
            for w in $tok[4..-1]
                if test -n "$pending"
                    set pending ''
                    continue
                end
                switch $w
                    case peer
                        set in_peer 1
                        set removed 0
                        set used
                        set pending peer
                    case listen-port fwmark private-key
                        test $in_peer -eq 1; and return
                        set -a used $w
                        set pending $w
                    case preshared-key endpoint persistent-keepalive allowed-ips
                        test $in_peer -eq 1 -a $removed -eq 0; or return
                        set -a used $w
                        set pending $w
                    case remove
                        test $in_peer -eq 1 -a $removed -eq 0; or return
                        set removed 1
                    case update-only
                        test $in_peer -eq 1 -a $removed -eq 0; or return
                        set -a used $w
                    case '*'
                        return
                end
            end
            switch "$pending"
                case peer
                    for k in ($cmd show $tok[3] peers 2>/dev/null)
                        printf '%s\t%s\n' $k "Peer of $tok[3]"
                    end
                    return
                case private-key preshared-key
                    echo @files
                    return
                case '?*'
                    return
            end
            if test $in_peer -eq 0
                set -l pairs listen-port 'UDP port to listen on' \
                    fwmark 'Firewall mark of outgoing packets' \
                    private-key 'Read the private key from a file'
                for i in 1 3 5
                    contains -- $pairs[$i] $used; or printf '%s\t%s\n' $pairs[$i] $pairs[(math $i + 1)]
                end
            else if test $removed -eq 0
                set -l pairs preshared-key 'Read the preshared key from a file' \
                    endpoint 'Address and port of the peer' \
                    allowed-ips 'Set, add or remove allowed IPs' \
                    persistent-keepalive 'Keepalive interval' \
                    update-only 'Change the peer only if it exists already'
                for i in 1 3 5 7 9
                    contains -- $pairs[$i] $used; or printf '%s\t%s\n' $pairs[$i] $pairs[(math $i + 1)]
                end
                printf '%s\t%s\n' remove 'Remove this peer'
            end
            printf '%s\t%s\n' peer 'Add or change a peer by its public key'
    end
end

function __swg_wants_files
    contains -- @files (__swg_candidates)
end

complete -c swg -f -n 'not __swg_wants_files' -a '(__swg_candidates)'
complete -c swg -F -n __swg_wants_files
