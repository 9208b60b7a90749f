//! `completion bash|zsh|fish`: a script completing the commands, waiters and options.

use std::fmt::Write as _;

use crate::args::{COMMON_OPTIONS, Extra, PAGINATION_OPTIONS, UsageError};
use crate::table::{Kind, Service};

/// The global options a script completes.
const GLOBAL_OPTIONS: &[&str] = &[
    "region",
    "endpoint-url",
    "profile",
    "output",
    "query",
    "debug",
    "no-paginate",
    "cli-read-timeout",
    "cli-connect-timeout",
    "version",
    "help",
];

/// Every option of a command, with dashes.
fn options<C>(service: &Service<C>, command: &str, extras: &[Extra]) -> Vec<String> {
    let Some(command) = service.command(command) else {
        return Vec::new();
    };
    let mut names = Vec::new();
    for opt in command.options {
        names.push(format!("--{}", opt.name));
        if service.shape(opt.shape).kind == Kind::Boolean {
            names.push(format!("--no-{}", opt.name));
        }
    }
    names.extend(extras.iter().map(|e| format!("--{}", e.name)));
    names.extend(COMMON_OPTIONS.iter().map(|n| format!("--{n}")));
    if command.paginator.is_some() {
        names.extend(PAGINATION_OPTIONS.iter().map(|n| format!("--{n}")));
    }
    names.extend(GLOBAL_OPTIONS.iter().map(|n| format!("--{n}")));
    names
}

/// The completion script for `shell`.
pub fn script<C>(
    service: &Service<C>,
    extras: &dyn Fn(&str) -> &'static [Extra],
    shell: &str,
) -> Result<String, UsageError> {
    let name = service.name;
    let function = name.replace('-', "_");
    let mut commands: Vec<&str> = service.commands.iter().map(|c| c.name).collect();
    if !service.waiters.is_empty() {
        commands.push("wait");
    }
    commands.extend(["help", "completion"]);
    let waiters: Vec<&str> = service.waiters.iter().map(|w| w.name).collect();
    let globals: Vec<String> = GLOBAL_OPTIONS.iter().map(|n| format!("--{n}")).collect();
    let mut out = String::new();
    match shell {
        "bash" => {
            let _ = writeln!(
                out,
                "# bash completion for {name}: eval \"$({name} completion bash)\""
            );
            let _ = writeln!(out, "_{function}() {{");
            out.push_str(
                "    local cur=\"${COMP_WORDS[COMP_CWORD]}\" command=\"${COMP_WORDS[1]}\" words\n",
            );
            out.push_str("    if [ \"$COMP_CWORD\" -eq 1 ]; then\n");
            let _ = writeln!(
                out,
                "        words=\"{} {}\"",
                commands.join(" "),
                globals.join(" ")
            );
            out.push_str("    else\n        case \"$command\" in\n");
            for command in service.commands {
                let _ = writeln!(
                    out,
                    "            {}) words=\"{}\" ;;",
                    command.name,
                    options(service, command.name, extras(command.name)).join(" ")
                );
            }
            if !waiters.is_empty() {
                let _ = writeln!(out, "            wait) words=\"{}\" ;;", waiters.join(" "));
            }
            out.push_str("            completion) words=\"bash zsh fish\" ;;\n");
            let _ = writeln!(out, "            *) words=\"{}\" ;;", globals.join(" "));
            out.push_str(
                "        esac\n    fi\n    COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n}\n",
            );
            let _ = writeln!(out, "complete -F _{function} {name}");
        }
        "zsh" => {
            let _ = writeln!(
                out,
                "#compdef {name}\n# zsh completion for {name}: eval \"$({name} completion zsh)\""
            );
            let _ = writeln!(out, "_{function}() {{");
            out.push_str("    local -a choices\n    if (( CURRENT == 2 )); then\n");
            let _ = writeln!(
                out,
                "        choices=({} {})",
                commands.join(" "),
                globals.join(" ")
            );
            out.push_str("    else\n        case $words[2] in\n");
            for command in service.commands {
                let _ = writeln!(
                    out,
                    "            {}) choices=({}) ;;",
                    command.name,
                    options(service, command.name, extras(command.name)).join(" ")
                );
            }
            if !waiters.is_empty() {
                let _ = writeln!(out, "            wait) choices=({}) ;;", waiters.join(" "));
            }
            out.push_str("            completion) choices=(bash zsh fish) ;;\n");
            out.push_str("        esac\n    fi\n    compadd -- $choices\n}\n");
            let _ = writeln!(out, "compdef _{function} {name}");
        }
        "fish" => {
            let _ = writeln!(
                out,
                "# fish completion for {name}: {name} completion fish | source"
            );
            let _ = writeln!(
                out,
                "complete -c {name} -f -n '__fish_use_subcommand' -a '{}'",
                commands.join(" ")
            );
            for global in GLOBAL_OPTIONS {
                let _ = writeln!(out, "complete -c {name} -l {global}");
            }
            for command in service.commands {
                for option in options(service, command.name, extras(command.name)) {
                    let long = option.trim_start_matches("--");
                    if GLOBAL_OPTIONS.contains(&long) {
                        continue;
                    }
                    let _ = writeln!(
                        out,
                        "complete -c {name} -n '__fish_seen_subcommand_from {}' -l {long}",
                        command.name
                    );
                }
            }
            if !waiters.is_empty() {
                let _ = writeln!(
                    out,
                    "complete -c {name} -f -n '__fish_seen_subcommand_from wait' -a '{}'",
                    waiters.join(" ")
                );
            }
        }
        other => {
            return Err(UsageError(format!(
                "argument shell: Invalid choice '{other}', valid choices are: bash, zsh, fish"
            )));
        }
    }
    Ok(out)
}
