package io.failoverdrill.cli;

import io.failoverdrill.schemas.ContractViolation;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.schemas.plan.PlanDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code drill validate PLAN}: every error with its JSON path (exit 2), or a summary of the plan (exit 0). */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Validate a drill plan; lists every error with its JSON path.")
final class ValidateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PLAN", description = "plan JSON file")
    Path plan;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        DrillPlan p;
        try {
            p = PlanFiles.load(plan);
        } catch (PlanDecoder.PlanInvalid e) {
            for (ContractViolation v : e.violations()) {
                spec.commandLine().getErr().println(plan + ": " + v.path() + ": " + v.rule());
            }
            return DrillCli.USAGE;
        } catch (ContractViolation v) {
            spec.commandLine().getErr().println(plan + ": " + v.path() + ": " + v.rule());
            return DrillCli.USAGE;
        }
        spec.commandLine().getOut().printf("%s: valid %s plan '%s' — evacuate %s, promote %s, dwell %d s, stick %d min%n",
                plan, p.drillType(), p.drillId(), p.evacuate(), p.promoteSurvivor(), p.routing().hysteresisS(),
                p.routing().stickMinutes());
        PlanNotes.of(p).forEach(n -> spec.commandLine().getOut().println(plan + ": note: " + n));
        return DrillCli.OK;
    }
}
