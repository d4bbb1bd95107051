using System.CommandLine;

namespace Redundancy.Orleans.Cli.Commands;

/// <summary>
/// <c>completion bash|zsh</c>: a shell function that asks the CLI itself for completions through System.CommandLine's
/// <c>[suggest]</c> directive, so completions always match the installed version's commands and options.
/// </summary>
internal static class CompletionCommand
{
    private const string Bash = """
        # redundancy shell completion (System.CommandLine's [suggest] directive)
        _redundancy_complete() {
          local IFS=$'\n'
          COMPREPLY=( $(compgen -W "$(redundancy "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -o default -F _redundancy_complete redundancy
        """;

    public static Command Create(Verbs verbs)
    {
        var shell = new Argument<string>("shell") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = verbs.Verb("completion", "Print the shell completion script: source it from your shell's start-up file",
            c =>
            {
                var script = c.Get(shell) == "zsh" ? "autoload -U +X bashcompinit && bashcompinit\n" + Bash : Bash;
                c.Console.Out.WriteLine(script);
                return Task.FromResult(ExitCodes.Ok);
            },
            "source <(redundancy completion bash)      # in ~/.bashrc", "source <(redundancy completion zsh)       # in ~/.zshrc");
        command.Add(shell);
        return command;
    }
}
