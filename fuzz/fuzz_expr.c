/* fuzz_expr.c: the equation parser, compiler and evaluator. Every input that compiles is
 * also evaluated over a few lanes, with lags reading real storage. */
#include "fuzz_common.h"

#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "mem.h"

static const char *const fuzz_names[] = {"gdp", "fiscal_revenue", "g", "b", "x_1", "林州"};
enum { SLOTS = 6, YEARS = EXPR_MAX_LAG + 2, LANES = 3 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *source = mem_strndup((const char *)data, size);
    if (!source)
        return 0;
    expr_error err;
    expr_program *program = expr_compile(source, fuzz_names, SLOTS, &err);
    if (program) {
        static double values[SLOTS * YEARS * LANES];
        for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
            values[i] = (double)(i % 17) - 3.5;
        size_t scratch_count = expr_program_scratch(program) * LANES;
        double *scratch = mem_alloc((scratch_count ? scratch_count : 1) * sizeof *scratch);
        double out[LANES];
        expr_frame frame = {values, YEARS * LANES, LANES, YEARS - 1, LANES, 2030};
        if (scratch)
            expr_program_eval(program, &frame, out, scratch);
        mem_free(scratch);
        size_t ref_count;
        const expr_ref *refs = expr_program_refs(program, &ref_count);
        for (size_t i = 0; i < ref_count; i++)
            if (refs[i].slot < 0 || refs[i].slot >= SLOTS || refs[i].lag < 0 || refs[i].lag > EXPR_MAX_LAG)
                abort(); /* the compiler promised in-range references */
        expr_program_free(program);
    } else if (err.column < 0) {
        abort();
    }
    mem_free(source);
    return 0;
}
