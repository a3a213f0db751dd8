# fish completion for swg-quick(8), a drop-in replacement for wg-quick(8).
# Installed as .../fish/vendor_completions.d/swg-quick.fish.

function __swg_quick_verb
    set -l tok (commandline -opc)
    test (count $tok) -eq 2; and contains -- $tok[2] $argv
end

# Configuration names: /etc/wireguard/NAME.conf gives NAME.
function __swg_quick_configs
    for f in /etc/wireguard/*.conf
        string replace -r '^.*/(.*)\.conf$' '$1' -- $f
    end
end

# Files ending in .conf and directories, for the token under the cursor.
function __swg_quick_conf_paths
    set -l cur (commandline -ct)
    # After down, names are interfaces; paths only once the token looks like one.
    if __swg_quick_verb down; and not string match -q -- '*/*' $cur
        return
    end
    for p in $cur*
        if test -d $p
            echo $p/
        else if string match -q -- '*.conf' $p
            echo $p
        end
    end
end

set -l verbs up down save strip
complete -c swg-quick -f
complete -c swg-quick -n "not __fish_seen_subcommand_from $verbs" -a up -d 'Create and configure an interface from its configuration'
complete -c swg-quick -n "not __fish_seen_subcommand_from $verbs" -a down -d 'Remove an interface brought up by up'
complete -c swg-quick -n "not __fish_seen_subcommand_from $verbs" -a save -d 'Write the running configuration back to the file'
complete -c swg-quick -n "not __fish_seen_subcommand_from $verbs" -a strip -d 'Print the configuration without the swg-quick keys'
complete -c swg-quick -n "not __fish_seen_subcommand_from $verbs" -l help -d 'Show the usage'
complete -c swg-quick -n '__swg_quick_verb up save strip' -a '(__swg_quick_configs)' -d Configuration
complete -c swg-quick -n '__swg_quick_verb up save strip down' -a '(__swg_quick_conf_paths)'
complete -c swg-quick -n '__swg_quick_verb down' -a '(string split -n " " -- (swg show interfaces 2>/dev/null))' -d 'WireGuard interface'
