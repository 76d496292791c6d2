/* sweep_convergence.c: what "samples": "auto" did (sweep_write.h): the steps on the terminal
 * and convergence.csv. The chart of each index against N is in sweep_charts.c. */
#include "sweep_write.h"
#include "i18n.h"
#include "text.h"

#include <math.h>
#include <stdio.h>

void sweep_print_convergence(FILE *out, const sweep_result *res)
{
    const sweep_spec *spec = res->spec;
    if (!res->convergence_steps)
        return;
    fprintf(out, "\n");
    fprintf(out, _("\"samples\": \"auto\": N doubled until every ST 95%% interval was narrower than %g (at most "
                   "N = %zu), reusing every run:\n"),
            spec->threshold, spec->samples_max);
    for (size_t s = 0; s < res->convergence_steps; s++) {
        const sweep_convergence *step = &res->convergence[s];
        fprintf(out, _("  N = %7zu: widest ST interval %.3f (%s, %s)\n"), step->samples, step->widest,
                text_safe(spec->parameters[step->widest_parameter].name),
                text_safe(spec->outputs[step->widest_output].name));
    }
    if (res->converged)
        fprintf(out, _("  converged at N = %zu (%zu model runs)\n"), spec->samples, res->runs);
    else
        fprintf(out, _("  NOT converged: stopped at N = %zu (%zu model runs); the widest interval is still %.3f\n"),
                spec->samples, res->runs, res->convergence[res->convergence_steps - 1].widest);
}

int sweep_write_convergence(output_batch *batch, const sweep_result *res, diag *d)
{
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count;
    if (!res->convergence_steps)
        return DIAG_OK;
    FILE *f = output_batch_open(batch, "convergence.csv", d);
    if (!f)
        return d->status;
    fputs("N,output,parameter,ST,ST_low,ST_high,width,threshold\n", f);
    for (size_t s = 0; s < res->convergence_steps; s++) {
        const sweep_convergence *step = &res->convergence[s];
        for (size_t o = 0; o < spec->output_count; o++)
            for (size_t i = 0; i < k; i++) {
                const sensitivity_estimate *e = &step->total[o * k + i];
                fprintf(f, "%zu,", step->samples);
                output_csv_field(f, spec->outputs[o].name);
                fputc(',', f);
                output_csv_field(f, spec->parameters[i].name);
                double row[] = {e->value, e->low, e->high, e->high - e->low, spec->threshold};
                for (size_t c = 0; c < sizeof row / sizeof row[0]; c++) {
                    fputc(',', f);
                    output_csv_number(f, row[c]);
                }
                fputc('\n', f);
            }
    }
    return DIAG_OK;
}
