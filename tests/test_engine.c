/* test_engine.c: the block engine: blocks cover every path once, block streams depend on
 * (seed, block) only (identical results for any thread count), callbacks' errors stop the
 * run and are reported for the first failing block, Ctrl-C (engine_request_stop) stops it
 * between blocks, progress goes to the caller's callback on the calling thread, the
 * memory budget is checked up front, and chunk hooks (checkpoints, MPI ranks) see every
 * chunk in order and may leave its blocks to another process without changing a result. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "mem.h"
#include "run.h"
#include "testutil.h"

static const char *model_json =
    "{\"name\": \"m\", \"parameters\": {\"a\": {\"value\": 3, \"min\": -100, \"max\": 100}},"
    " \"exogenous\": {\"z\": {\"value\": 0.5}},"
    " \"variables\": {\"x\": {\"eq\": \"x[-1] + a * z\"}}}";
static const char *scenario_json =
    "{\"name\": \"s\", \"model\": \"engine-model.json\", \"start\": 2024, \"end\": 2027,"
    " \"initial\": {\"x\": {\"2023\": 1}}}";

static run *load(void)
{
    gsl_set_error_handler_off();
    testutil_write("engine-model.json", model_json);
    const char *path = testutil_write("engine-scenario.json", scenario_json);
    return testutil_load_run(path);
}

/* Each lane: a = a uniform draw of its block's stream; records x in the end year and the
 * times each path was seen. */
typedef struct record {
    const run *r;
    int a_slot, x_slot;
    double *x_end;
    int *seen;
    size_t *block_lanes;
    size_t fail_block;    /* a block whose reduce fails, or SIZE_MAX */
    size_t stop_at_block; /* a block whose reduce requests a stop, or SIZE_MAX */
} record;

static int set_a(void *context, engine_block *block)
{
    record *rec = context;
    size_t years = rec->r->plan->years;
    for (size_t l = 0; l < block->lanes; l++) {
        double a = gsl_rng_uniform(block->rng);
        for (size_t t = 0; t < years; t++)
            block->values[((size_t)rec->a_slot * years + t) * block->lanes + l] = a;
    }
    return DIAG_OK;
}

static int keep_x(void *context, engine_block *block)
{
    record *rec = context;
    const sim_plan *plan = rec->r->plan;
    size_t t = plan->years - 1;
    for (size_t l = 0; l < block->lanes; l++) {
        rec->x_end[block->first + l] = block->values[((size_t)rec->x_slot * plan->years + t) * block->lanes + l];
        rec->seen[block->first + l]++;
    }
    rec->block_lanes[block->index] = block->lanes;
    if (block->index == rec->fail_block) {
        snprintf(block->message, sizeof block->message, "block %zu says no", block->index);
        return DIAG_DATA;
    }
    if (block->index == rec->stop_at_block)
        engine_request_stop();
    return DIAG_OK;
}

static int run_engine(const run *r, record *rec, size_t paths, size_t lanes, int threads, unsigned long seed, diag *d)
{
    engine_job job = {
        .plan = r->plan,
        .paths = paths,
        .lanes = lanes,
        .seed = seed,
        .threads = threads,
        .setup = set_a,
        .reduce = keep_x,
        .context = rec,
    };
    return engine_run(&job, NULL, d);
}

static void record_init(record *rec, const run *r, size_t paths)
{
    memset(rec, 0, sizeof *rec);
    rec->r = r;
    rec->a_slot = model_find(r->model, "a");
    rec->x_slot = model_find(r->model, "x");
    rec->x_end = calloc(paths, sizeof *rec->x_end);
    rec->seen = calloc(paths, sizeof *rec->seen);
    rec->block_lanes = calloc(paths, sizeof *rec->block_lanes);
    rec->fail_block = SIZE_MAX;
    rec->stop_at_block = SIZE_MAX;
}

static void record_free(record *rec)
{
    free(rec->x_end);
    free(rec->seen);
    free(rec->block_lanes);
}

Test(engine, blocks_cover_every_path_once_and_compute_the_model)
{
    run *r = load();
    record rec;
    record_init(&rec, r, 1000);
    diag d;
    diag_init(&d);
    cr_assert_eq(run_engine(r, &rec, 1000, 256, 2, 7, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(engine_block_count(1000, 256), 4);
    cr_assert_eq(engine_block_count(1024, 256), 4);
    cr_assert_eq(engine_block_count(1025, 0), 5); /* 0 lanes: the default, 256 */
    for (size_t i = 0; i < 1000; i++)
        cr_assert_eq(rec.seen[i], 1, "path %zu seen %d times", i, rec.seen[i]);
    cr_assert_eq(rec.block_lanes[0], 256);
    cr_assert_eq(rec.block_lanes[3], 1000 - 3 * 256);
    /* x(2027) = 1 + 4 years * a * 0.5, with a the lane's draw from its block's stream */
    gsl_rng *rng = gsl_rng_alloc(engine_rng_type());
    for (size_t b = 0; b < 4; b++) {
        engine_seed_block(rng, 7, b);
        for (size_t l = 0; l < rec.block_lanes[b]; l++) {
            double a = gsl_rng_uniform(rng);
            double expected = 1 + a * 0.5 + a * 0.5 + a * 0.5 + a * 0.5;
            cr_assert_float_eq(rec.x_end[b * 256 + l], expected, 1e-14, "path %zu", b * 256 + l);
        }
    }
    gsl_rng_free(rng);
    diag_free(&d);
    record_free(&rec);
    run_free(r);
}

Test(engine, results_do_not_depend_on_threads)
{
    run *r = load();
    size_t paths = 5000;
    record one, two, three;
    record_init(&one, r, paths);
    record_init(&two, r, paths);
    record_init(&three, r, paths);
    diag d;
    diag_init(&d);
    cr_assert_eq(run_engine(r, &one, paths, 64, 1, 11, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(run_engine(r, &two, paths, 64, 2, 11, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(run_engine(r, &three, paths, 64, 3, 11, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(memcmp(one.x_end, two.x_end, paths * sizeof(double)), 0);
    cr_assert_eq(memcmp(one.x_end, three.x_end, paths * sizeof(double)), 0);
    /* another seed gives other paths */
    cr_assert_eq(run_engine(r, &three, paths, 64, 3, 12, &d), DIAG_OK, "%s", d.message);
    cr_assert_neq(memcmp(one.x_end, three.x_end, paths * sizeof(double)), 0);
    diag_free(&d);
    record_free(&one);
    record_free(&two);
    record_free(&three);
    run_free(r);
}

Test(engine, streams_are_uniform_and_distinct)
{
    /* xoshiro256+ through GSL: mean 1/2 and variance 1/12 within 5 SE over 10^6 draws; two
     * neighbouring blocks and two seeds start differently */
    gsl_rng *rng = gsl_rng_alloc(engine_rng_type());
    engine_seed_block(rng, 1, 0);
    double sum = 0, squares = 0;
    const int n = 1000000;
    for (int i = 0; i < n; i++) {
        double u = gsl_rng_uniform(rng);
        cr_assert(u >= 0 && u < 1);
        sum += u;
        squares += u * u;
    }
    double mean = sum / n, var = squares / n - mean * mean;
    cr_assert_leq(fabs(mean - 0.5), 5 * sqrt(1.0 / 12 / n));
    cr_assert_leq(fabs(var - 1.0 / 12), 5 * sqrt(1.0 / 180 / n)); /* Var(U^2-ish): (1/80 - 1/144) */
    engine_seed_block(rng, 1, 0);
    unsigned long first = gsl_rng_get(rng);
    engine_seed_block(rng, 1, 1);
    cr_assert_neq(gsl_rng_get(rng), first);
    engine_seed_block(rng, 2, 0);
    cr_assert_neq(gsl_rng_get(rng), first);
    engine_seed_block(rng, 1, 0);
    cr_assert_eq(gsl_rng_get(rng), first);
    gsl_rng_free(rng);
}

Test(engine, callback_error_stops_the_run)
{
    run *r = load();
    record rec;
    record_init(&rec, r, 2000);
    rec.fail_block = 2;
    diag d;
    diag_init(&d);
    cr_assert_eq(run_engine(r, &rec, 2000, 100, 1, 1, &d), DIAG_DATA);
    cr_assert(strstr(d.message, "block 2 says no"), "%s", d.message);
    /* on one thread, nothing after the failing block ran */
    cr_assert_eq(rec.seen[299], 1);
    cr_assert_eq(rec.seen[300], 0);
    diag_free(&d);
    record_free(&rec);
    run_free(r);
}

Test(engine, stop_request_interrupts_between_blocks)
{
    run *r = load();
    record rec;
    record_init(&rec, r, 2000);
    rec.stop_at_block = 3;
    diag d;
    diag_init(&d);
    cr_assert_eq(engine_request_stop(), 0, "no run in progress: the caller handles the signal");
    cr_assert_eq(run_engine(r, &rec, 2000, 100, 1, 1, &d), DIAG_INTERRUPTED);
    cr_assert(strstr(d.message, "interrupted"), "%s", d.message);
    cr_assert_eq(rec.seen[399], 1);
    cr_assert_eq(rec.seen[400], 0, "no block starts after the stop");
    cr_assert(engine_stop_requested());
    engine_clear_stop();
    cr_assert_not(engine_stop_requested());
    diag_free(&d);
    record_free(&rec);
    run_free(r);
}

/* What a progress callback saw. */
typedef struct progress_log {
    pthread_t caller;
    size_t reports, finished, last_done, total;
    int other_thread, went_back, after_finish;
    char what[32];
} progress_log;

static void log_progress(void *context, const engine_progress_event *event)
{
    progress_log *log = context;
    log->other_thread |= !pthread_equal(pthread_self(), log->caller);
    log->went_back |= event->done < log->last_done;
    log->after_finish |= log->finished > 0;
    log->reports++;
    log->finished += event->finished != 0;
    log->last_done = event->done;
    log->total = event->total;
    snprintf(log->what, sizeof log->what, "%s", event->what);
}

static int run_with_progress(const run *r, record *rec, int threads, progress_log *log, diag *d)
{
    memset(log, 0, sizeof *log);
    log->caller = pthread_self();
    engine_progress progress = {log_progress, log};
    engine_job job = {
        .plan = r->plan, .paths = 2000, .lanes = 100, .seed = 1, .threads = threads,
        .progress = &progress, .what = "runs", .setup = set_a, .reduce = keep_x, .context = rec,
    };
    return engine_run(&job, NULL, d);
}

Test(engine, progress_goes_to_the_callers_function_on_its_thread)
{
    run *r = load();
    diag d;
    diag_init(&d);
    progress_log log;
    /* one thread: a report after each of the 20 blocks, then the final one */
    record rec;
    record_init(&rec, r, 2000);
    cr_assert_eq(run_with_progress(r, &rec, 1, &log, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(log.reports, 21);
    cr_assert_eq(log.finished, 1);
    cr_assert_eq(log.last_done, 2000);
    cr_assert_eq(log.total, 2000);
    cr_assert_str_eq(log.what, "runs");
    cr_assert_not(log.went_back || log.after_finish || log.other_thread);
    record_free(&rec);
    /* two threads: reports only on the calling thread, in order, the final one last */
    record_init(&rec, r, 2000);
    cr_assert_eq(run_with_progress(r, &rec, 2, &log, &d), DIAG_OK, "%s", d.message);
    cr_assert_geq(log.reports, 1); /* the calling thread may have run no block at all */
    cr_assert_eq(log.finished, 1);
    cr_assert_eq(log.last_done, 2000);
    cr_assert_not(log.went_back || log.after_finish || log.other_thread);
    record_free(&rec);
    /* a failing block: the run still ends with a final report, saying how far it got */
    record_init(&rec, r, 2000);
    rec.fail_block = 5;
    cr_assert_eq(run_with_progress(r, &rec, 1, &log, &d), DIAG_DATA);
    cr_assert_eq(log.finished, 1);
    cr_assert_eq(log.last_done, 500, "blocks 0 to 4 were done");
    record_free(&rec);
    diag_free(&d);
    run_free(r);
}

Test(engine, memory_budget)
{
    setenv("ECONSIM_MEMORY_MB", "1", 1);
    cr_assert_eq(engine_memory_budget(), (size_t)1 << 20);
    diag d;
    diag_init(&d);
    cr_assert_eq(engine_check_memory((size_t)3 << 20, "the ensemble of 1000000 paths", &d), DIAG_SOFTWARE);
    cr_assert_str_eq(d.message, "error: the ensemble of 1000000 paths needs 3 MB, above the memory budget of 1 MB: use "
                                "fewer paths or samples, or raise ECONSIM_MEMORY_MB");
    diag_free(&d);
    diag_init(&d);
    cr_assert_eq(engine_check_memory(1000, "x", &d), DIAG_OK);
    /* a job whose buffers exceed the budget fails before anything runs */
    run *r = load();
    record rec;
    record_init(&rec, r, 100);
    cr_assert_eq(run_engine(r, &rec, 100, 65536, 1, 1, &d), DIAG_OK, "100 paths fit: a block is never wider than the paths");
    cr_assert_eq(rec.seen[0], 1);
    record rec2;
    record_init(&rec2, r, 200000);
    cr_assert_eq(run_engine(r, &rec2, 200000, 65536, 1, 1, &d), DIAG_SOFTWARE);
    cr_assert(strstr(d.message, "above the memory budget of 1 MB"), "%s", d.message);
    cr_assert_eq(rec2.seen[0], 0, "nothing runs");
    setenv("ECONSIM_MEMORY_MB", "junk", 1);
    cr_assert_eq(engine_memory_budget(), (size_t)ENGINE_DEFAULT_MEMORY_MB << 20);
    unsetenv("ECONSIM_MEMORY_MB");
    diag_free(&d);
    record_free(&rec);
    record_free(&rec2);
    run_free(r);
}

/* --- chunk hooks (engine_chunks): chunks in order, blocks left to "another process" ------- */

/* Hooks that cut 10 blocks into chunks of 3 and leave the odd chunks' blocks to "another
 * process": their results are copied in, in chunk_done, from a full run (`elsewhere`). */
typedef struct fake_hooks {
    size_t chunk_blocks, lanes, calls, next_first, skipped_blocks;
    const double *elsewhere;
    double *x_end;
    size_t paths;
    int ended, end_status;
    size_t settled_at_done; /* the settle calls seen by the latest chunk_done */
    int partial;            /* what fake_partial answers */
    int other_failed;       /* fake_agree: "another process" failed */
    size_t agreed;          /* fake_agree's calls */
} fake_hooks;

/* engine_job.settle of the test below: counts its calls (it runs on the calling thread). */
static size_t settle_calls;

static void count_settle(void *context)
{
    (void)context;
    settle_calls++;
}

static int fake_partial(void *context)
{
    return ((fake_hooks *)context)->partial;
}

/* When h->other_failed, "another process" failed with DIAG_SOFTWARE whatever this one says. */
static int fake_agree(void *context, int status, diag *d)
{
    fake_hooks *h = context;
    h->agreed++;
    if (status != DIAG_OK || !h->other_failed)
        return status;
    return diag_error(d, DIAG_SOFTWARE, "another process ran out of memory");
}

static int fake_begin(void *context, const engine_job *job, size_t blocks, size_t lanes, size_t *chunk_blocks, diag *d)
{
    (void)d;
    fake_hooks *h = context;
    cr_assert_eq(job->region_count, 1);
    cr_assert_eq(blocks, 10);
    h->lanes = lanes;
    *chunk_blocks = h->chunk_blocks;
    return DIAG_OK;
}

static int fake_chunk(void *context, size_t first, size_t end, size_t *lo, size_t *hi, diag *d)
{
    (void)d;
    fake_hooks *h = context;
    cr_assert_eq(first, h->next_first, "chunks run in order, none skipped");
    cr_assert_eq(end, first + h->chunk_blocks < 10 ? first + h->chunk_blocks : 10);
    h->next_first = end;
    if ((first / h->chunk_blocks) % 2 == 1) {
        *lo = *hi = first; /* computed elsewhere */
        h->skipped_blocks += end - first;
    }
    return DIAG_OK;
}

static int fake_chunk_done(void *context, size_t first, size_t end, int status, size_t failed_block,
                           const char *message, diag *d)
{
    (void)failed_block, (void)message;
    fake_hooks *h = context;
    h->calls++;
    h->settled_at_done = settle_calls;
    if (status != DIAG_OK)
        return diag_error(d, status, "%s", message);
    if ((first / h->chunk_blocks) % 2 == 1) {
        size_t from = first * h->lanes, to = end * h->lanes < h->paths ? end * h->lanes : h->paths;
        memcpy(h->x_end + from, h->elsewhere + from, (to - from) * sizeof *h->x_end);
    }
    return DIAG_OK;
}

static void fake_end(void *context, int status)
{
    fake_hooks *h = context;
    h->ended++;
    h->end_status = status;
}

Test(engine, chunk_hooks_see_every_chunk_in_order_and_may_leave_blocks_to_others)
{
    run *r = load();
    size_t paths = 1000, lanes = 100;
    record full, part;
    record_init(&full, r, paths);
    record_init(&part, r, paths);
    diag d;
    diag_init(&d);
    cr_assert_eq(run_engine(r, &full, paths, lanes, 2, 11, &d), DIAG_OK, "%s", d.message);

    fake_hooks h = {.chunk_blocks = 3, .elsewhere = full.x_end, .x_end = part.x_end, .paths = paths};
    engine_chunks hooks = {fake_begin, fake_chunk, fake_chunk_done, fake_end, &h, NULL, NULL};
    engine_region region = {ENGINE_REGION_PATH, part.x_end, sizeof(double), 1, 0, NULL, NULL};
    engine_job job = {.plan = r->plan, .paths = paths, .lanes = lanes, .seed = 11, .threads = 2,
                      .setup = set_a, .reduce = keep_x, .context = &part, .regions = &region, .region_count = 1};
    engine_set_chunks(&hooks);
    int status = engine_run(&job, NULL, &d);
    engine_set_chunks(NULL);
    cr_assert_eq(status, DIAG_OK, "%s", d.message);
    cr_assert_eq(h.calls, 4);           /* blocks 0-2, 3-5, 6-8, 9 */
    cr_assert_eq(h.ended, 1);
    cr_assert_eq(h.end_status, DIAG_OK);
    cr_assert_eq(h.skipped_blocks, 4);  /* chunks 1 and 3 were left to "another process" */
    for (size_t i = 0; i < paths; i++) {
        int elsewhere = (i >= 300 && i < 600) || i >= 900;
        cr_assert_eq(part.seen[i], elsewhere ? 0 : 1, "path %zu computed %d times", i, part.seen[i]);
        cr_assert_eq(part.x_end[i], full.x_end[i], "path %zu differs from the whole run", i);
    }

    /* a job without regions never reaches the hooks: it runs whole */
    h = (fake_hooks){.chunk_blocks = 3};
    engine_set_chunks(&hooks);
    record plain;
    record_init(&plain, r, paths);
    status = run_engine(r, &plain, paths, lanes, 1, 11, &d);
    engine_set_chunks(NULL);
    cr_assert_eq(status, DIAG_OK, "%s", d.message);
    cr_assert_eq(h.calls, 0);
    cr_assert_eq(memcmp(plain.x_end, full.x_end, paths * sizeof *plain.x_end), 0);
    record_free(&plain);
    record_free(&full);
    record_free(&part);
    diag_free(&d);
    run_free(r);
}

Test(engine, settle_runs_before_each_chunk_done_partial_reaches_the_stats_and_agree_the_hooks)
{
    run *r = load();
    size_t paths = 1000, lanes = 100;
    record full, part;
    record_init(&full, r, paths);
    record_init(&part, r, paths);
    diag d;
    diag_init(&d);
    cr_assert_eq(run_engine(r, &full, paths, lanes, 2, 11, &d), DIAG_OK, "%s", d.message);
    for (int partial = 0; partial <= 1; partial++) {
        fake_hooks h = {.chunk_blocks = 3, .elsewhere = full.x_end, .x_end = part.x_end, .paths = paths,
                        .partial = partial};
        engine_chunks hooks = {fake_begin, fake_chunk, fake_chunk_done, fake_end, &h, fake_partial, fake_agree};
        engine_region region = {ENGINE_REGION_PATH, part.x_end, sizeof(double), 1, 0, NULL, NULL};
        engine_job job = {.plan = r->plan, .paths = paths, .lanes = lanes, .seed = 11, .threads = 2,
                          .setup = set_a, .reduce = keep_x, .context = &part, .regions = &region, .region_count = 1,
                          .settle = count_settle};
        settle_calls = 0;
        engine_stats stats;
        engine_set_chunks(&hooks);
        int status = engine_run(&job, &stats, &d);
        cr_assert_eq(status, DIAG_OK, "%s", d.message);
        cr_assert_eq(settle_calls, 4, "one settle per chunk of 3 blocks out of 10");
        cr_assert_eq(h.settled_at_done, 4, "the last chunk was settled before its chunk_done");
        cr_assert_eq(stats.partial, partial);
        cr_assert_eq(h.agreed, 1, "the processes agree once, when each has its buffers");
        /* engine_agree asks the hooks: the other process's failure reaches this one */
        h.other_failed = 1;
        cr_assert_eq(engine_agree(DIAG_OK, &d), DIAG_SOFTWARE);
        cr_assert(strstr(d.message, "another process ran out of memory"), "%s", d.message);
        diag_free(&d);
        diag_init(&d);
        cr_assert_eq(engine_agree(DIAG_DATA, &d), DIAG_DATA);
        /* another process without memory for its buffers: this one runs no chunk (it would
         * wait for that process at the first chunk's end), ends the hooks and says why */
        diag_free(&d);
        diag_init(&d);
        h.calls = h.ended = 0;
        settle_calls = 0;
        cr_assert_eq(engine_run(&job, &stats, &d), DIAG_SOFTWARE);
        cr_assert(strstr(d.message, "another process ran out of memory"), "%s", d.message);
        cr_assert_eq(h.calls, 0, "no chunk ran");
        cr_assert_eq(settle_calls, 0);
        cr_assert_eq(h.ended, 1);
        cr_assert_eq(h.end_status, DIAG_SOFTWARE);
        diag_free(&d);
        diag_init(&d);
        engine_set_chunks(NULL);
    }
    cr_assert_eq(engine_agree(DIAG_OK, &d), DIAG_OK, "without hooks a status is its own");
    /* without hooks a run is whole: never partial, nothing to settle */
    engine_stats stats;
    record plain;
    record_init(&plain, r, paths);
    engine_job job = {.plan = r->plan, .paths = paths, .lanes = lanes, .seed = 11, .threads = 2, .setup = set_a,
                      .reduce = keep_x, .context = &plain, .settle = count_settle};
    settle_calls = 0;
    cr_assert_eq(engine_run(&job, &stats, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(stats.partial, 0);
    cr_assert_eq(settle_calls, 0);
    record_free(&plain);
    record_free(&full);
    record_free(&part);
    diag_free(&d);
    run_free(r);
}
