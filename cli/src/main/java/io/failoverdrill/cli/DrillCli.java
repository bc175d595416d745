package io.failoverdrill.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code drill}: the command line of the region-failover drill engine. Exit codes: 0 success (every verdict
 * passed), 1 a verdict failed, 2 usage, input or start-up error.
 */
@Command(name = "drill", mixinStandardHelpOptions = true, version = "drill 0.1.0",
        description = "Region-failover drill engine: evacuate, promote, observe, verify — with evidence, over Kafka.",
        subcommands = {DemoCommand.class, RunCommand.class, ProbeCommand.class, SimCommand.class, GuardCommand.class, ReplayCommand.class, ValidateCommand.class,
                StopCommand.class, ControlCommand.class, TopicsCommand.class, KeysCommand.class, AclCommand.class, ActuateCommand.class, ExportCommand.class, ListCommand.class, ServeCommand.class, SubmitCommand.class,
                BrokerCommand.class, CommandLine.HelpCommand.class})
public final class DrillCli {
    public static final int OK = 0;
    public static final int VERDICT_FAILED = 1;
    public static final int USAGE = 2;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (also used by tests through {@code execute}). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new DrillCli());
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + oneLine(ex));
            return USAGE;
        });
        return cli;
    }

    /** One whole line on {@code out}, flushed, never interleaved with another thread's line. */
    static void say(java.io.PrintWriter out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    static String oneLine(Throwable t) {
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return msg.replace('\n', ' ');
    }
}
