/* test_expr.c: the equation language: values against hand-computed results, lane layout,
 * references, and every compile error with its column and message. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "mem.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static expr_program *compile_ok(const char *source, const char *const *names, size_t name_count)
{
    expr_error err;
    expr_program *program = expr_compile(source, names, name_count, &err);
    cr_assert_not_null(program, "compiling \"%s\" failed at column %d: %s", source, err.column, err.message);
    return program;
}

/* Compiles and evaluates an equation without slots at calendar year 2024. */
static double value_of(const char *source)
{
    expr_program *program = compile_ok(source, NULL, 0);
    double v = expr_program_eval_constant(program, 2024);
    expr_program_free(program);
    return v;
}

static void expect_value(const char *source, double want, double tolerance)
{
    double v = value_of(source);
    cr_expect(fabs(v - want) <= tolerance, "\"%s\" = %.17g, want %.17g (tolerance %g)", source, v, want, tolerance);
}

static void expect_error_with(const char *source, const char *const *names, size_t name_count, int column,
                              const char *fragment)
{
    expr_error err;
    expr_program *program = expr_compile(source, names, name_count, &err);
    cr_assert_null(program, "\"%s\" compiled but should fail with \"%s\"", source, fragment);
    cr_expect_eq(err.column, column, "\"%s\": column %d, want %d (%s)", source, err.column, column, err.message);
    cr_expect(strstr(err.message, fragment) != NULL, "\"%s\": message \"%s\" lacks \"%s\"", source, err.message,
              fragment);
}

static void expect_error(const char *source, int column, const char *fragment)
{
    expect_error_with(source, NULL, 0, column, fragment);
}

/* Evaluates with a scratch buffer of exactly the advertised size, poisoned with NaN so a read
 * of a register before it is written shows in the result (and ASan catches overruns). */
static void eval_frame(const expr_program *program, const expr_frame *frame, double *out)
{
    size_t n = expr_program_scratch(program) * frame->lanes;
    double *scratch = malloc((n ? n : 1) * sizeof *scratch);
    cr_assert_not_null(scratch);
    for (size_t i = 0; i < n; i++)
        scratch[i] = NAN;
    expr_program_eval(program, frame, out, scratch);
    free(scratch);
}

/* Compiles source over the slot names, evaluates it on the frame into out and frees it. */
static void eval_source(const char *source, const char *const *names, size_t name_count, const expr_frame *frame,
                        double *out)
{
    expr_program *program = compile_ok(source, names, name_count);
    eval_frame(program, frame, out);
    expr_program_free(program);
}

/* What expr_program_dump writes for the program, in malloc'd memory (the caller frees it). */
static char *listing_of(const expr_program *program, const char *const *names)
{
    char *listing = NULL;
    size_t size = 0;
    FILE *stream = open_memstream(&listing, &size);
    cr_assert_not_null(stream);
    expr_program_dump(program, names, stream);
    fclose(stream);
    return listing;
}

static int same_double(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

/* ---------------------------------------------------------------------------------------- */

Test(expr, precedence_and_associativity)
{
    expect_value("1+2*3", 7, 0);
    expect_value("(1+2)*3", 9, 0);
    expect_value("2^3^2", 512, 0);
    expect_value("(2^3)^2", 64, 0);
    expect_value("-2^2", -4, 0);
    expect_value("(-2)^2", 4, 0);
    expect_value("2^-1", 0.5, 0);
    expect_value("-3--3", 0, 0);
    expect_value("10-4-3", 3, 0);
    expect_value("12/4/3", 1, 0);
    expect_value("2*3^2", 18, 0);
    expect_value("+5 - +2", 3, 0);
    expect_value("--4", 4, 0);
    expect_value("---4", -4, 0);
    expect_value("1 + 2 > 2", 1, 0);  /* arithmetic binds tighter than comparison */
    expect_value("3 > 2 + 2", 0, 0);
    expect_value("\t1 +\n 2\r\n", 3, 0);
}

Test(expr, numbers_and_percent)
{
    expect_value("1.5", 1.5, 0);
    expect_value("2e3", 2000, 0);
    expect_value("2E3", 2000, 0);
    expect_value("2.5e-1", 0.25, 0);
    expect_value("1e+2", 100, 0);
    expect_value(".5", 0.5, 0);
    expect_value("3.", 3, 0);
    expect_value("8%", 0.08, 0);
    expect_value("0.5%", 0.005, 1e-18);
    expect_value("150% * 2", 3, 1e-15);
    expect_value("100 * (1 + 6%)", 106, 1e-12);
    expect_value("007", 7, 0);
}

Test(expr, constants_and_year)
{
    expect_value("pi", 3.14159265358979323846, 1e-15);
    expect_value("e", 2.71828182845904523536, 1e-15);
    expect_value("log(e)", 1, 1e-15);
    expect_value("sin(pi)", 0, 1e-15);
    expect_value("year", 2024, 0);
    expect_value("year - 2000", 24, 0);

    /* year stays dynamic even inside an otherwise constant expression */
    expr_program *program = compile_ok("(year - 2000) * (1 + 1)", NULL, 0);
    cr_expect_float_eq(expr_program_eval_constant(program, 2024), 48, 1e-12);
    cr_expect_float_eq(expr_program_eval_constant(program, 2031), 62, 1e-12);
    expr_program_free(program);
}

Test(expr, functions)
{
    expect_value("abs(-3.5)", 3.5, 0);
    expect_value("abs(2)", 2, 0);
    expect_value("exp(1)", 2.718281828459045, 1e-15);
    expect_value("exp(0)", 1, 0);
    expect_value("log(e^2)", 2, 1e-15);
    expect_value("log(1)", 0, 0);
    expect_value("sqrt(16)", 4, 0);
    expect_value("sqrt(2)", 1.4142135623730951, 1e-15);
    expect_value("sin(pi/2)", 1, 1e-15);
    expect_value("sin(pi/6)", 0.5, 1e-15);
    expect_value("cos(pi)", -1, 1e-15);
    expect_value("cos(0)", 1, 0);
    expect_value("tan(pi/4)", 1, 1e-15);
    expect_value("floor(2.7)", 2, 0);
    expect_value("floor(-2.5)", -3, 0);
    expect_value("floor(-2)", -2, 0);
    expect_value("ceil(2.1)", 3, 0);
    expect_value("ceil(-2.5)", -2, 0);
    expect_value("round(2.5)", 3, 0);
    expect_value("round(-2.5)", -3, 0);
    expect_value("round(2.4)", 2, 0);
    expect_value("round(-2.6)", -3, 0);
    expect_value("pow(2, 10)", 1024, 0);
    expect_value("pow(9, 0.5)", 3, 0);
    expect_value("min(2, 1)", 1, 0);
    expect_value("min(3, 1, 2)", 1, 0);
    expect_value("min(5, 4, 3, 2, 6)", 2, 0);
    expect_value("max(1, 2)", 2, 0);
    expect_value("max(3, 1, 2, 5, 4)", 5, 0);
    expect_value("max(-1, -2, -3)", -1, 0);
    expect_value("clamp(5, 0, 3)", 3, 0);   /* above */
    expect_value("clamp(-1, 0, 3)", 0, 0);  /* below */
    expect_value("clamp(2, 0, 3)", 2, 0);   /* inside */
    expect_value("clamp(0, 0, 3)", 0, 0);   /* on the edge */
    expect_value("if(1, 10, 20)", 10, 0);
    expect_value("if(0, 10, 20)", 20, 0);
    expect_value("if(-0.5, 10, 20)", 10, 0); /* nonzero is true */
    expect_value("max(1, 2) * min(3, 4) + abs(-1)", 7, 0);
}

Test(expr, ieee_results_and_nan_propagation)
{
    cr_expect(isinf(value_of("1/0")) && value_of("1/0") > 0);
    cr_expect(isnan(value_of("log(-1)")));
    cr_expect(isnan(value_of("sqrt(-1)")));
    cr_expect(isnan(value_of("min(0/0, 1)")), "min must not hide a NaN");
    cr_expect(isnan(value_of("min(1, 0/0)")));
    cr_expect(isnan(value_of("max(0/0, 1)")));
    cr_expect(isnan(value_of("max(1, 0/0)")));
    cr_expect(isnan(value_of("clamp(0/0, 0, 1)")));
    /* the unselected branch's NaN does not leak */
    expect_value("if(1, 5, log(-1))", 5, 0);
}

Test(expr, comparisons_and_logic)
{
    expect_value("1 < 2", 1, 0);
    expect_value("2 < 1", 0, 0);
    expect_value("2 < 2", 0, 0);
    expect_value("2 <= 2", 1, 0);
    expect_value("3 <= 2", 0, 0);
    expect_value("3 > 2", 1, 0);
    expect_value("2 > 2", 0, 0);
    expect_value("2 >= 2", 1, 0);
    expect_value("1 >= 2", 0, 0);
    expect_value("1 == 1.0", 1, 0);
    expect_value("1 == 2", 0, 0);
    expect_value("1 != 2", 1, 0);
    expect_value("2 != 2", 0, 0);
    expect_value("1<2 and 2<3", 1, 0);
    expect_value("1<2 and 3<2", 0, 0);
    expect_value("not 0", 1, 0);
    expect_value("not 2", 0, 0);
    expect_value("not not 5", 1, 0); /* a truth value, not 5 */
    expect_value("not not not 5", 0, 0);
    expect_value("0 or 0", 0, 0);
    expect_value("0 or 3", 1, 0); /* 1, not 3 */
    expect_value("2 and 3", 1, 0);
    expect_value("1 or 0 and 0", 1, 0);   /* and binds tighter than or */
    expect_value("(1 or 0) and 0", 0, 0);
    expect_value("not 1 == 2", 1, 0);     /* not (1 == 2) */
    expect_value("not 0 and 0", 0, 0);    /* (not 0) and 0 */
    expect_value("(2 > 1) * 10 + (1 > 2)", 10, 0);
}

Test(expr, if_selects_per_lane)
{
    static const char *const names[] = {"x"};
    /* one slot, one year, four lanes */
    const double data[4] = {-2, 0, 3, 5};
    expr_frame frame = {.data = data, .slot_stride = 4, .year_stride = 4, .year_index = 0, .lanes = 4, .year = 2024};
    double out[4];
    eval_source("if(x > 0, x * 10, -x)", names, 1, &frame, out);
    cr_expect_float_eq(out[0], 2, 0);
    cr_expect_float_eq(out[1], 0, 0);
    cr_expect_float_eq(out[2], 30, 0);
    cr_expect_float_eq(out[3], 50, 0);

    /* 1/x is inf in lane 1 but not selected there */
    eval_source("if(x != 0, 1 / x, 99)", names, 1, &frame, out);
    cr_expect_float_eq(out[0], -0.5, 0);
    cr_expect_float_eq(out[1], 99, 0);
    cr_expect_float_eq(out[2], 1.0 / 3.0, 1e-15);
    cr_expect_float_eq(out[3], 0.2, 1e-15);
}

/* Three slots a, b, c; four years; three lanes; padding after each year's lanes and after each
 * slot, filled with NaN, so any mistake in the strides reads a NaN or another slot's value.
 * value(slot s, year t, lane l) = 100 * (s + 1) + 10 * t + l. */
#define LAG_LANES 3
#define LAG_YEARS 4
#define LAG_YEAR_STRIDE 4
#define LAG_SLOT_STRIDE (LAG_YEARS * LAG_YEAR_STRIDE + 5)

static void fill_lag_data(double *data)
{
    for (size_t i = 0; i < 3 * LAG_SLOT_STRIDE; i++)
        data[i] = NAN;
    for (int s = 0; s < 3; s++)
        for (int t = 0; t < LAG_YEARS; t++)
            for (int l = 0; l < LAG_LANES; l++)
                data[s * LAG_SLOT_STRIDE + t * LAG_YEAR_STRIDE + l] = 100 * (s + 1) + 10 * t + l;
}

Test(expr, lags_read_the_right_year_slot_and_lane)
{
    static const char *const names[] = {"a", "b", "c"};
    double data[3 * LAG_SLOT_STRIDE];
    fill_lag_data(data);
    expr_frame frame = {.data = data,
                        .slot_stride = LAG_SLOT_STRIDE,
                        .year_stride = LAG_YEAR_STRIDE,
                        .year_index = 3,
                        .lanes = LAG_LANES,
                        .year = 2024};
    static const struct {
        const char *source;
        double base; /* value in lane 0; lane l adds `per_lane` * l */
        double per_lane;
    } cases[] = {
        {"a", 130, 1},                  /* slot 0, year 3 */
        {"b[-1]", 220, 1},              /* slot 1, year 2 */
        {"c[-3]", 300, 1},              /* slot 2, year 0 */
        {"c[ - 2 ]", 310, 1},           /* spaces inside the brackets */
        {"a - b[-2] + c[-1]", 240, 1},  /* 130 - 210 + 320 */
        {"b * 2 - a[-3]", 360, 1},      /* 2 * 230 - 100 */
        {"a[-1] * 0 + year - 2000", 24, 0},
    };
    for (size_t k = 0; k < COUNT(cases); k++) {
        double out[LAG_LANES];
        eval_source(cases[k].source, names, 3, &frame, out);
        for (int l = 0; l < LAG_LANES; l++)
            cr_expect_float_eq(out[l], cases[k].base + cases[k].per_lane * l, 1e-12, "%s lane %d: %g", cases[k].source,
                               l, out[l]);
    }
}

Test(expr, largest_lag)
{
    static const char *const names[] = {"x"};
    double data[EXPR_MAX_LAG + 1];
    for (int t = 0; t <= EXPR_MAX_LAG; t++)
        data[t] = 1000 + t;
    expr_frame frame = {.data = data, .slot_stride = 0, .year_stride = 1, .year_index = EXPR_MAX_LAG, .lanes = 1};
    double out;
    eval_source("x[-50] - x", names, 1, &frame, &out);
    cr_expect_float_eq(out, -50, 0);
}

Test(expr, refs_are_distinct_in_first_use_order)
{
    static const char *const names[] = {"a", "b", "c"};
    expr_program *program = compile_ok("a + b[-1] * a + c[-2] + b[-1] + b + 2 * c[-2]", names, 3);
    size_t count;
    const expr_ref *refs = expr_program_refs(program, &count);
    cr_assert_eq(count, 4);
    cr_expect(refs[0].slot == 0 && refs[0].lag == 0);
    cr_expect(refs[1].slot == 1 && refs[1].lag == 1);
    cr_expect(refs[2].slot == 2 && refs[2].lag == 2);
    cr_expect(refs[3].slot == 1 && refs[3].lag == 0);
    expr_program_free(program);

    program = compile_ok("year * pi + 1", names, 3);
    expr_program_refs(program, &count);
    cr_expect_eq(count, 0);
    expr_program_free(program);
}

Test(expr, eval_constant_refuses_slot_programs)
{
    static const char *const names[] = {"x"};
    expr_program *program = compile_ok("x + 1", names, 1);
    cr_expect(isnan(expr_program_eval_constant(program, 2024)));
    expr_program_free(program);
}

/* Every operator and function in one equation, over many lanes (whole chunks plus a tail),
 * must give bit for bit what one-lane evaluations give. */
static const char big_equation[] =
    "if(x > y, pow(abs(x), 0.5) + min(x, y, 2) * max(y, x, -1), clamp(x * y, -1, 1) - floor(x) / (ceil(y + 0.5) + 10))"
    " + round(x * 3.5) + exp(-abs(y)) + log(abs(x) + 1) + sqrt(abs(y)) + sin(x) + cos(y) + tan(x / 10)"
    " + (x <= y) + 2 * (x >= y) + 4 * (x == y) + 8 * (x != y) + 16 * (x < y and y > 0 or not x)"
    " - year / 1000 + x[-1] / 7 - -y[-1]";

static void check_lanes_match_single(size_t lanes)
{
    static const char *const names[] = {"x", "y"};
    /* values[slot][year][lane], two years, no padding */
    double *data = malloc(2 * 2 * lanes * sizeof *data);
    cr_assert_not_null(data);
    for (size_t l = 0; l < lanes; l++) {
        data[0 * 2 * lanes + 0 * lanes + l] = (double)(l % 7) - 3.0;         /* x[-1] */
        data[0 * 2 * lanes + 1 * lanes + l] = (double)(l % 5) - 2.0;         /* x */
        data[1 * 2 * lanes + 0 * lanes + l] = (double)((l * 5) % 11) / 4.0;  /* y[-1] */
        data[1 * 2 * lanes + 1 * lanes + l] = (double)((l * 3) % 7) - 3.0;   /* y */
    }
    expr_program *program = compile_ok(big_equation, names, 2);
    expr_frame frame = {
        .data = data, .slot_stride = 2 * lanes, .year_stride = lanes, .year_index = 1, .lanes = lanes, .year = 2030};
    double *together = malloc(lanes * sizeof *together);
    cr_assert_not_null(together);
    eval_frame(program, &frame, together);
    for (size_t l = 0; l < lanes; l++) {
        expr_frame one = frame;
        one.data = data + l;
        one.lanes = 1;
        double alone;
        eval_frame(program, &one, &alone);
        cr_expect(same_double(together[l], alone), "lanes=%zu lane %zu: %.17g together, %.17g alone", lanes, l,
                  together[l], alone);
        cr_expect(isfinite(alone), "lane %zu: %g", l, alone);
    }
    expr_program_free(program);
    free(together);
    free(data);
}

Test(expr, two_lanes_equal_two_single_lane_evaluations)
{
    check_lanes_match_single(2);
}

Test(expr, many_lanes_equal_single_lane_evaluations)
{
    check_lanes_match_single(19); /* not a multiple of any vector width */
    check_lanes_match_single(64);
}

Test(expr, single_lane_hand_checked)
{
    /* x = 2, y = -1 at year index 1; x[-1] = 4, y[-1] = 8 */
    static const char *const names[] = {"x", "y"};
    const double data[4] = {4, 2, 8, -1};
    expr_frame frame = {.data = data, .slot_stride = 2, .year_stride = 1, .year_index = 1, .lanes = 1, .year = 2030};
    double out;
    eval_source("x[-1] * y + x ^ 3 - y[-1] / x + max(x, y, 0) * clamp(y, 0, 1)", names, 2, &frame, &out);
    cr_expect_float_eq(out, -4.0 + 8.0 - 4.0 + 0.0, 1e-12);
}

Test(expr, scratch_size_and_folding)
{
    static const char *const names[] = {"x", "y"};
    expr_program *program = compile_ok("1 + 2 * 3", names, 2);
    cr_expect_eq(expr_program_scratch(program), 0, "a folded constant needs no scratch");
    expr_program_free(program);

    program = compile_ok("x + y", names, 2);
    cr_expect_eq(expr_program_scratch(program), 0, "loads are read in place");
    expr_program_free(program);

    /* x + y and x - y are both live when they are multiplied */
    program = compile_ok("(x + y) * (x - y)", names, 2);
    cr_expect_eq(expr_program_scratch(program), 2);
    const double data[2] = {5, 3};
    expr_frame frame = {.data = data, .slot_stride = 1, .year_stride = 1, .year_index = 0, .lanes = 1};
    double out;
    eval_frame(program, &frame, &out);
    cr_expect_float_eq(out, 16, 0); /* (5 + 3) * (5 - 3) */
    expr_program_free(program);

    /* (2 + 3) folds to one constant: the listing has it and no add */
    program = compile_ok("x * (2 + 3) ^ 2", names, 2);
    char *listing = listing_of(program, names);
    cr_expect(strstr(listing, "25") != NULL, "%s", listing);
    cr_expect(strstr(listing, "add") == NULL, "%s", listing);
    cr_expect(strstr(listing, "pow") == NULL, "%s", listing);
    cr_expect(strstr(listing, "mul") != NULL, "%s", listing);
    free(listing);
    expr_program_free(program);
}

Test(expr, dump_names_slots_and_lags)
{
    static const char *const names[] = {"gdp", "growth"};
    expr_program *program = compile_ok("gdp[-1] * (1 + growth)", names, 2);
    char *listing = listing_of(program, names);
    cr_expect(strstr(listing, "gdp[-1]") != NULL, "%s", listing);
    cr_expect(strstr(listing, "growth") != NULL, "%s", listing);
    cr_expect(strstr(listing, "out") != NULL, "%s", listing);
    free(listing);
    expr_program_free(program);
}

Test(expr, reserved_words_win_over_slots)
{
    /* the model loader rejects such slots; here we only check that the keyword wins */
    static const char *const names[] = {"year", "pi", "x"};
    expr_program *program = compile_ok("year + pi", names, 3);
    size_t count;
    expr_program_refs(program, &count);
    cr_expect_eq(count, 0);
    cr_expect_float_eq(expr_program_eval_constant(program, 2024), 2024 + 3.14159265358979323846, 1e-12);
    expr_program_free(program);
}

Test(expr, utf8_names_and_columns)
{
    static const char *const names[] = {"收入", "gdp"};
    const double data[4] = {7, NAN, 100, NAN}; /* [slot][year], one lane; year 1 unknown */
    expr_frame frame = {.data = data, .slot_stride = 2, .year_stride = 1, .year_index = 1, .lanes = 1};
    double out;
    eval_source("收入[-1] * 2 + gdp[-1]", names, 2, &frame, &out);
    cr_expect_float_eq(out, 114, 0);

    /* columns count characters, not bytes: '收入' is 2 columns wide in characters */
    expect_error_with("收入 + gdpp", names, 2, 6, "unknown name 'gdpp' (did you mean 'gdp'?)");
    expect_error_with("gdp ＋ 1", names, 2, 5, "unexpected character '＋'");
    expect_error_with("收入（1)", names, 2, 3, "U+FF08");
    expect_error_with("gdp\u3000+ 1", names, 2, 4, "unexpected character");
}

/* ---------------------------------------------------------------------------------------- */

Test(expr_errors, unknown_names_and_functions)
{
    static const char *const names[] = {"gdp", "cpi", "fiscal_revenue"};
    expr_error err;
    cr_assert_null(expr_compile("gdpp * 2", names, 3, &err));
    cr_expect_eq(err.column, 1);
    cr_expect_str_eq(err.message, "unknown name 'gdpp' (did you mean 'gdp'?)");

    cr_assert_null(expr_compile("1 + fiscal_revenu", names, 3, &err));
    cr_expect_eq(err.column, 5);
    cr_expect_str_eq(err.message, "unknown name 'fiscal_revenu' (did you mean 'fiscal_revenue'?)");

    cr_assert_null(expr_compile("zzzzzzzz", names, 3, &err));
    cr_expect_str_eq(err.message, "unknown name 'zzzzzzzz'");

    cr_assert_null(expr_compile("1 + mx(1, 2)", names, 3, &err));
    cr_expect_eq(err.column, 5);
    cr_expect_str_eq(err.message, "unknown function 'mx' (did you mean 'max'?)");

    expect_error_with("sqr(4)", names, 3, 1, "did you mean 'sqrt'?");
    expect_error_with("2 * gdp(1)", names, 3, 5, "'gdp' is a variable");
    expect_error_with("max + 1", names, 3, 1, "'max' is a function");
    expect_error_with("abs[-1]", names, 3, 1, "'abs' is a function");
    expect_error_with("pi(2)", names, 3, 1, "'pi' is not a function");
    expect_error_with("and + 1", names, 3, 1, "unexpected token 'and'");
}

Test(expr_errors, arity)
{
    expect_error("min(1)", 1, "'min' takes at least 2 arguments, got 1");
    expect_error("1 + max()", 5, "'max' takes at least 2 arguments, got 0");
    expect_error("2 * abs(1, 2)", 5, "'abs' takes 1 argument, got 2");
    expect_error("sqrt()", 1, "'sqrt' takes 1 argument, got 0");
    expect_error("clamp(1, 2)", 1, "'clamp' takes 3 arguments, got 2");
    expect_error("clamp(1, 2, 3, 4)", 1, "'clamp' takes 3 arguments, got 4");
    expect_error("pow(2)", 1, "'pow' takes 2 arguments, got 1");
    expect_error("  if(1, 2)", 3, "'if' takes 3 arguments, got 2");
}

Test(expr_errors, parentheses)
{
    expect_error("(1 + 2", 7, "expected ')' to close '(' at column 1");
    expect_error("2 * (1 + (3 - 1) 4", 18, "expected ')' to close '(' at column 5");
    expect_error("min(1, 2", 9, "expected ',' or ')' to close 'min(' at column 4");
    expect_error("max(1 2)", 7, "expected ',' or ')'");
    expect_error("1 + 2 )", 7, "unexpected token ')'");
    expect_error("()", 2, "unexpected token ')'");
    expect_error("min(1,)", 7, "unexpected token ')'");
}

Test(expr_errors, bad_lags)
{
    static const char *const names[] = {"x"};
    const char *lag = "lag must be written x[-k] with k a whole number from 1 to 50";
    expect_error_with("x[0]", names, 1, 3, lag);
    expect_error_with("x[-0]", names, 1, 4, lag);
    expect_error_with("x[1]", names, 1, 3, lag);
    expect_error_with("x[-1.5]", names, 1, 4, lag);
    expect_error_with("x[-1e0]", names, 1, 4, lag);
    expect_error_with("x[-51]", names, 1, 4, lag);
    expect_error_with("x[-]", names, 1, 4, lag);
    expect_error_with("x[-1 + 1]", names, 1, 6, lag);
    expect_error_with("x[-1%]", names, 1, 5, lag);
    expect_error_with("x[-x]", names, 1, 4, lag);
    expect_error_with("x[-1", names, 1, 5, "expected ']' to close '[' at column 2");
    expect_error_with("year[-1]", names, 1, 5, "'year' cannot be lagged");
    expect_error_with("pi[-1]", names, 1, 3, "'pi' cannot be lagged");
    expect_error_with("2 * e[-2]", names, 1, 6, "'e' cannot be lagged");
    expect_error_with("(x)[-1]", names, 1, 4, "unexpected token '['");
}

Test(expr_errors, chained_comparison)
{
    expect_error("1 < 2 < 3", 7, "cannot be chained");
    expect_error("1 == 1 != 0", 8, "cannot be chained");
    expect_value("(1 < 2) < 3", 1, 0); /* explicit grouping is fine */
}

Test(expr_errors, unexpected_tokens_and_end)
{
    static const char *const names[] = {"x"};
    expect_error("1 + * 2", 5, "unexpected token '*'");
    expect_error("2 ** 3", 4, "unexpected token '*'");
    expect_error("1 2", 3, "unexpected token '2'");
    expect_error_with("2x", names, 1, 2, "unexpected token 'x'");
    expect_error_with("x%", names, 1, 2, "unexpected token '%'");
    expect_error("8%%", 3, "unexpected token '%'");
    expect_error("1 +", 4, "unexpected end of equation");
    expect_error("-", 2, "unexpected end of equation");
    expect_error("not", 4, "unexpected end of equation");
    expect_error("if(1, 2,", 9, "unexpected end of equation");
    expect_error("", 1, "empty equation");
    expect_error("   \t ", 1, "empty equation");
}

Test(expr_errors, unexpected_characters)
{
    expect_error("1 $ 2", 3, "unexpected character '$'");
    expect_error("1 = 1", 3, "use '=='");
    expect_error("1 && 1", 3, "use 'and'");
    expect_error("1 || 1", 3, "use 'or'");
    expect_error("!1", 1, "use 'not'");
    expect_error("1 +\x01 2", 4, "U+0001");
    expect_error("3 × 2", 3, "unexpected character '×'");
    expect_error("1 + \xff", 5, "invalid UTF-8");
    expect_error("1e999", 1, "too large");
    expect_error("2 + .", 5, "unexpected character '.'");
}

Test(expr_errors, lexical_error_after_an_earlier_error_is_not_reported_first)
{
    static const char *const names[] = {"gdp"};
    /* the lexer has looked ahead to '$', but the unknown name comes first */
    expect_error_with("gdpp $", names, 1, 1, "unknown name 'gdpp'");
}

static char *repeat(const char *head, const char *unit, size_t times, const char *tail)
{
    size_t n = strlen(head) + strlen(unit) * times + strlen(tail);
    char *s = malloc(n + 1);
    cr_assert_not_null(s);
    strcpy(s, head);
    for (size_t i = 0; i < times; i++)
        strcat(s, unit);
    strcat(s, tail);
    return s;
}

Test(expr_errors, length_limit)
{
    char *longest = repeat("1", "+1", 2047, " "); /* 4096 bytes */
    cr_assert_eq(strlen(longest), EXPR_MAX_SOURCE);
    expect_value(longest, 2048, 0);
    free(longest);

    char *too_long = repeat("1", "+1", 2048, ""); /* 4097 bytes */
    expr_error err;
    cr_expect_null(expr_compile(too_long, NULL, 0, &err));
    cr_expect_str_eq(err.message, "equation is longer than 4096 bytes");
    free(too_long);
}

Test(expr_errors, nesting_limit)
{
    char *deepest = repeat("", "(", 64, "1");
    char *closed = repeat(deepest, ")", 64, "");
    expect_value(closed, 1, 0);
    free(deepest);
    free(closed);

    char *too_deep = repeat("", "(", 65, "1");
    char *closed_too_deep = repeat(too_deep, ")", 65, "");
    expect_error(closed_too_deep, 65, "nesting deeper than 64");
    free(too_deep);
    free(closed_too_deep);

    /* calls count as nesting: the 65th '(' of abs(abs(... is at column 4 * 65 */
    char *calls = repeat("", "abs(", 65, "1");
    expect_error(calls, 260, "nesting deeper than 64");
    free(calls);

    /* so do exponents (right-associative, hence recursive) */
    char *tower = repeat("", "1^", 64, "1");
    expect_value(tower, 1, 0);
    free(tower);
    tower = repeat("", "1^", 65, "1");
    expect_error(tower, 130, "nesting deeper than 64");
    free(tower);
}

Test(expr_errors, long_prefix_chains_do_not_recurse)
{
    char *minus = repeat("", "-", 3000, "1");
    expect_value(minus, 1, 0);
    free(minus);
    char *nots = repeat("", "not ", 1001, "0");
    expect_value(nots, 1, 0);
    free(nots);
}

Test(expr_errors, null_error_pointer_and_null_source)
{
    cr_expect_null(expr_compile("1 +", NULL, 0, NULL));
    expr_error err;
    cr_expect_null(expr_compile(NULL, NULL, 0, &err));
    cr_expect_str_eq(err.message, "empty equation");
    expr_program_free(NULL);
}

Test(expr_errors, out_of_memory_at_every_allocation)
{
    static const char *const names[] = {"a", "b", "c"};
    const char *source = "max(a, b[-1], c) * (1 + 2%) + if(year > 2000, c, a) - (a + b) * (b - c)";
    long failures = 0;
    for (long k = 0;; k++) {
        cr_assert(k < 1000, "compile never succeeded");
        mem_fail_after(k);
        expr_error err;
        expr_program *program = expr_compile(source, names, 3, &err);
        mem_fail_reset();
        if (program) {
            expr_program_free(program);
            break;
        }
        failures++;
        cr_expect_eq(err.column, 0);
        cr_expect_str_eq(err.message, "out of memory");
    }
    cr_expect_gt(failures, 3, "the compile should allocate several times");
}
