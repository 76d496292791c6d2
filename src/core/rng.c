/* rng.c: seeding, the ziggurat's rare cases and tables, and the GSL view of a stream
 * (rng.h). */
#include "rng.h"
#include "splitmix.h"

#include <math.h>

void rng_seed(rng_stream *r, uint64_t seed, uint64_t index)
{
    uint64_t x = seed;
    uint64_t key = splitmix_next(&x) + index * UINT64_C(0xd1342543de82ef95);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix_next(&key);
    if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
        r->s[0] = 1;
}

/* The ziggurat's constants: R where the tail starts, for 256 layers of equal area. */
#define ZIG_R 3.6541528853610088

/* Marsaglia's tail beyond R: x = -log(U1) / R, accepted when -2 log(U2) > x^2. */
static double normal_tail(rng_stream *r, int negative)
{
    double x, y;
    do {
        x = -log(rng_uniform_pos(r)) / ZIG_R;
        y = -log(rng_uniform_pos(r));
    } while (2 * y < x * x);
    return negative ? -(ZIG_R + x) : ZIG_R + x;
}

/* Layer `layer` with signed uniform u failed the rectangle test: the bottom layer's draw
 * falls in the tail; another layer's falls in its wedge, kept with probability
 * (f(x) - f(x[i+1])) / (f(x[i]) - f(x[i+1])). A rejected draw starts over with a new word. */
double rng_normal_slow(rng_stream *r, unsigned layer, double u)
{
    for (;;) {
        if (layer == 0)
            return normal_tail(r, u < 0);
        double x = u * rng_zig_x[layer];
        double xi = rng_zig_x[layer], xn = rng_zig_x[layer + 1];
        double f0 = exp(-0.5 * (xi * xi - x * x)), f1 = exp(-0.5 * (xn * xn - x * x)); /* f(x[.]) / f(x) */
        if (f1 + rng_uniform(r) * (f0 - f1) < 1.0)
            return x;
        uint64_t bits = rng_next(r);
        layer = (unsigned)(bits >> 3) & (RNG_ZIG_LAYERS - 1);
        u = (double)((int64_t)bits >> 11) * 0x1.0p-52;
        if (fabs(u) < rng_zig_ratio[layer])
            return u * rng_zig_x[layer];
    }
}

/* --- the GSL view ---------------------------------------------------------------------- */

static void gsl_set(void *state, unsigned long seed)
{
    rng_seed(state, (uint64_t)seed, 0);
}

static unsigned long gsl_get(void *state)
{
    return (unsigned long)(rng_next(state) >> 32);
}

static double gsl_get_double(void *state)
{
    return rng_uniform(state);
}

static const gsl_rng_type rng_type = {
    "xoshiro256+", 0xffffffffUL, 0, sizeof(rng_stream), gsl_set, gsl_get, gsl_get_double,
};

const gsl_rng_type *rng_gsl_type(void)
{
    return &rng_type;
}

/* --- tables ------------------------------------------------------------------------------
 * Computed once, in double, by x[0] = V / f(R), x[1] = R,
 * x[i] = sqrt(-2 log(V / x[i-1] + f(x[i-1]))) for i = 2..255, x[256] = 0, with
 * f(x) = exp(-x^2 / 2), R = 3.6541528853610088 and V = 0.00492867323399 (the area of each
 * layer, Doornik 2005), and printed exactly (hex floats). The top layer's area,
 * x[255] (1 - f(x[255])), equals V to 6 digits: the layers close. */

const double rng_zig_x[RNG_ZIG_LAYERS + 1] = {
    0x1.f493b78164498p+1, 0x1.d3bb48209ad33p+1, 0x1.b981f3878f995p+1,
    0x1.a8fdc7894718cp+1, 0x1.9cbee014050dfp+1, 0x1.92ee0946f3d1ap+1,
    0x1.8ab0fbfaa7412p+1, 0x1.839030529e9c6p+1, 0x1.7d42df4d6c5c3p+1,
    0x1.779955608fd5bp+1, 0x1.72728f05f70d7p+1, 0x1.6db6b8d09d896p+1,
    0x1.69540be9fdbedp+1, 0x1.653ce7b0060dfp+1, 0x1.61669cf86140fp+1,
    0x1.5dc8a243ac693p+1, 0x1.5a5c08b718342p+1, 0x1.571b1a94ad95ap+1,
    0x1.54011523a7359p+1, 0x1.5109f53e9a131p+1, 0x1.4e3250dcd7dccp+1,
    0x1.4b7739d6b4eccp+1, 0x1.48d62759c383dp+1, 0x1.464ce44a72e74p+1,
    0x1.43d98155452d1p+1, 0x1.417a49cb9d9f6p+1, 0x1.3f2dbaa60e871p+1,
    0x1.3cf27b316f883p+1, 0x1.3ac7570ae7cb8p+1, 0x1.38ab3925634a9p+1,
    0x1.369d27a339bc1p+1, 0x1.349c405ae0606p+1, 0x1.32a7b5e6897e9p+1,
    0x1.30becd256a217p+1, 0x1.2ee0db1a96c02p+1, 0x1.2d0d43196ce88p+1,
    0x1.2b4375329fd27p+1, 0x1.2982ecd770131p+1, 0x1.27cb2faa84bcbp+1,
    0x1.261bcc7764b62p+1, 0x1.24745a4ac8e8bp+1, 0x1.22d477a6fc63bp+1,
    0x1.213bc9d04beb3p+1, 0x1.1fa9fc2e2cb18p+1, 0x1.1e1ebfbe4a036p+1,
    0x1.1c99ca9719877p+1, 0x1.1b1ad777f2157p+1, 0x1.19a1a564edd5ap+1,
    0x1.182df74d203f5p+1, 0x1.16bf93b9de06ep+1, 0x1.1556448601f9dp+1,
    0x1.13f1d69c3fab5p+1, 0x1.129219bbb4e64p+1, 0x1.1136e04206156p+1,
    0x1.0fdffefa690b2p+1, 0x1.0e8d4cf115675p+1, 0x1.0d3ea34aa2df9p+1,
    0x1.0bf3dd1eec4f7p+1, 0x1.0aacd7571b15ap+1, 0x1.0969708e892dp+1,
    0x1.082988f631e79p+1, 0x1.06ed023a716bp+1, 0x1.05b3bf6ada3acp+1,
    0x1.047da4e3ee5dbp+1, 0x1.034a983a8f2a6p+1, 0x1.021a8028fb929p+1,
    0x1.00ed447d3903dp+1, 0x1.ff859c118d567p+0, 0x1.fd360d22fc6aep+0,
    0x1.faebb187101b4p+0, 0x1.f8a6604897644p+0, 0x1.f665f20c8dff6p+0,
    0x1.f42a40fb72bc7p+0, 0x1.f1f328ac23146p+0, 0x1.efc086101ca9bp+0,
    0x1.ed923761084f7p+0, 0x1.eb681c0f74c9p+0, 0x1.e94214b2a9c5cp+0,
    0x1.e72002f97db41p+0, 0x1.e501c99c1ae6fp+0, 0x1.e2e74c4ea23a7p+0,
    0x1.e0d06fb49ae98p+0, 0x1.debd195520a7ep+0, 0x1.dcad2f8fc252p+0,
    0x1.daa0999204a4dp+0, 0x1.d8973f4d7d74dp+0, 0x1.d691096e7cc94p+0,
    0x1.d48de1533a181p+0, 0x1.d28db1037ca23p+0, 0x1.d0906328b6a39p+0,
    0x1.ce95e3068bacap+0, 0x1.cc9e1c73bb0eap+0, 0x1.caa8fbd367ccdp+0,
    0x1.c8b66e0eb8p+0, 0x1.c6c6608ec60b5p+0, 0x1.c4d8c136de693p+0,
    0x1.c2ed7e5f05369p+0, 0x1.c10486cebefa2p+0, 0x1.bf1dc9b81874ap+0,
    0x1.bd3936b2e992ep+0, 0x1.bb56bdb84fdbep+0, 0x1.b9764f1e5cf51p+0,
    0x1.b797db93f6101p+0, 0x1.b5bb541ce14a1p+0, 0x1.b3e0aa0dfe361p+0,
    0x1.b207cf09a6f7ep+0, 0x1.b030b4fc378p+0, 0x1.ae5b4e18b89dep+0,
    0x1.ac878cd5acc36p+0, 0x1.aab563e9fc731p+0, 0x1.a8e4c64a00726p+0,
    0x1.a715a724a7f4dp+0, 0x1.a547f9e0b90efp+0, 0x1.a37bb21a29d81p+0,
    0x1.a1b0c39f90b75p+0, 0x1.9fe7226faa6eap+0, 0x1.9e1ec2b6f486dp+0,
    0x1.9c5798cd5ad43p+0, 0x1.9a919933f6d92p+0, 0x1.98ccb892dfdbfp+0,
    0x1.9708ebb70a936p+0, 0x1.954627903758cp+0, 0x1.9384612eeddb8p+0,
    0x1.91c38dc2855bcp+0, 0x1.9003a297387bcp+0, 0x1.8e44951443c0ap+0,
    0x1.8c865aba0de35p+0, 0x1.8ac8e92059192p+0, 0x1.890c35f47c831p+0,
    0x1.875036f7a4f7ep+0, 0x1.8594e1fd1c628p+0, 0x1.83da2ce896f32p+0,
    0x1.82200dac85645p+0, 0x1.80667a486b99ep+0, 0x1.7ead68c73ae15p+0,
    0x1.7cf4cf3daf1d9p+0, 0x1.7b3ca3c8ae294p+0, 0x1.7984dc8ba8bcbp+0,
    0x1.77cd6faefc22dp+0, 0x1.7616535e540adp+0, 0x1.745f7dc70bc13p+0,
    0x1.72a8e5168e1a6p+0, 0x1.70f27f78b3573p+0, 0x1.6f3c43161c483p+0,
    0x1.6d86261289f28p+0, 0x1.6bd01e8b30f36p+0, 0x1.6a1a229507dcfp+0,
    0x1.6864283b0fbf7p+0, 0x1.66ae257c960d3p+0, 0x1.64f8104b6f00cp+0,
    0x1.6341de8a27a41p+0, 0x1.618b860a2e8ffp+0, 0x1.5fd4fc89f270fp+0,
    0x1.5e1e37b2f5545p+0, 0x1.5c672d17d3b48p+0, 0x1.5aafd2323e2fbp+0,
    0x1.58f81c60e4c4cp+0, 0x1.574000e552644p+0, 0x1.558774e1b7925p+0,
    0x1.53ce6d56a2c3dp+0, 0x1.5214df20a50d8p+0, 0x1.505abef5e1a6dp+0,
    0x1.4ea0016386a9cp+0, 0x1.4ce49acb2d5fdp+0, 0x1.4b287f6020506p+0,
    0x1.496ba3248525ep+0, 0x1.47adf9e6685eap+0, 0x1.45ef773ca8993p+0,
    0x1.44300e83bf25ap+0, 0x1.426fb2da63591p+0, 0x1.40ae571e05f24p+0,
    0x1.3eebede721aacp+0, 0x1.3d2869855dd8p+0, 0x1.3b63bbfb7fc17p+0,
    0x1.399dd6fb270e9p+0, 0x1.37d6abe05165dp+0, 0x1.360e2baca1034p+0,
    0x1.3444470261b6ap+0, 0x1.3278ee1f4755fp+0, 0x1.30ac10d6e0469p+0,
    0x1.2edd9e8cb647fp+0, 0x1.2d0d862e172a1p+0, 0x1.2b3bb62b7e88p+0,
    0x1.29681c7199017p+0, 0x1.2792a661d8bcdp+0, 0x1.25bb40ca92399p+0,
    0x1.23e1d7de97a07p+0, 0x1.2206572c47d17p+0, 0x1.2028a9940561p+0,
    0x1.1e48b93e088dcp+0, 0x1.1c666f8f7deb3p+0, 0x1.1a81b51ee20a3p+0,
    0x1.189a71a788c7ep+0, 0x1.16b08bfc3d191p+0, 0x1.14c3e9f8e41d8p+0,
    0x1.12d470730bf74p+0, 0x1.10e203294c4bdp+0, 0x1.0eec84b15b64dp+0,
    0x1.0cf3d664b796dp+0, 0x1.0af7d84bc0d06p+0, 0x1.08f8690719efdp+0,
    0x1.06f565b7249f9p+0, 0x1.04eea9e164ed4p+0, 0x1.02e40f5393759p+0,
    0x1.00d56e041db89p+0, 0x1.fd8537df97991p-1, 0x1.f956d9e87202bp-1,
    0x1.f51f654d83c88p-1, 0x1.f0de784efa595p-1, 0x1.ec93abdf8c395p-1,
    0x1.e83e93379ad08p-1, 0x1.e3debb5d2292dp-1, 0x1.df73aa9f0ae8dp-1,
    0x1.dafce0022edeep-1, 0x1.d679d29e3510dp-1, 0x1.d1e9f0e7fe5f7p-1,
    0x1.cd4c9fe7151cap-1, 0x1.c8a13a531630bp-1, 0x1.c3e70f95872ep-1,
    0x1.bf1d62abea23bp-1, 0x1.ba4368e51bb3p-1, 0x1.b5584874191dap-1,
    0x1.b05b16d127fd5p-1, 0x1.ab4ad6e0f24bap-1, 0x1.a62676d76d6f5p-1,
    0x1.a0eccdca3ab98p-1, 0x1.9b9c98e37c43bp-1, 0x1.96347822b1818p-1,
    0x1.90b2ea94dc2a8p-1, 0x1.8b1649e7a632cp-1, 0x1.855cc5341f023p-1,
    0x1.7f845ad45d397p-1, 0x1.798ad10b200fp-1, 0x1.736dad345c6b6p-1,
    0x1.6d2a291feca73p-1, 0x1.66bd261a2377ep-1, 0x1.60231cfd82f9bp-1,
    0x1.59580a70673c9p-1, 0x1.5257562196c1cp-1, 0x1.4b1bb363c898dp-1,
    0x1.439ef8dfe170ap-1, 0x1.3bd9ec1a11c06p-1, 0x1.33c3fc055e9edp-1,
    0x1.2b52e38621b3p-1, 0x1.227a28f78456ap-1, 0x1.192a6973f450ap-1,
    0x1.0f5053b004b4ep-1, 0x1.04d32278c832ep-1, 0x1.f32482d4807a6p-2,
    0x1.dac2f5a6f312p-2, 0x1.c004d2f328d93p-2, 0x1.a230c2e46389ep-2,
    0x1.801fce827fac5p-2, 0x1.57cb9383ae55p-2, 0x1.250af3c200a69p-2,
    0x1.b8d0be3d69918p-3, 0x0p+0,
};

const double rng_zig_ratio[RNG_ZIG_LAYERS] = {
    0x1.de67b004b7873p-1, 0x1.e34b496663415p-1, 0x1.ecd8befe05e34p-1,
    0x1.f13f491483a92p-1, 0x1.f3d2e3c028a21p-1, 0x1.f5880b054500bp-1,
    0x1.f6c0d8800a7acp-1, 0x1.f7acb03816fcep-1, 0x1.f86565e3c4543p-1,
    0x1.f8fa4dd9a59bcp-1, 0x1.f9751b0bc22e2p-1, 0x1.f9dc408ec3ec3p-1,
    0x1.fa3434f698ee4p-1, 0x1.fa80293c5dfb5p-1, 0x1.fac275b7ac9acp-1,
    0x1.fafcdde919da1p-1, 0x1.fb30bc3657486p-1, 0x1.fb5f1f05c04a4p-1,
    0x1.fb88dca537dc6p-1, 0x1.fbaea138c779cp-1, 0x1.fbd0f8afdfcf8p-1,
    0x1.fbf056056e2fap-1, 0x1.fc0d189dccf06p-1, 0x1.fc27904f105d1p-1,
    0x1.fc4000732aa57p-1, 0x1.fc56a245fc9a5p-1, 0x1.fc6ba6bdd62e3p-1,
    0x1.fc7f37ffa3c1ap-1, 0x1.fc917a86de85bp-1, 0x1.fca28e12ee4adp-1,
    0x1.fcb28e671ee31p-1, 0x1.fcc193e7060aap-1, 0x1.fccfb416d575fp-1,
    0x1.fcdd0205543b2p-1, 0x1.fce98ea3ed4f9p-1, 0x1.fcf569104672dp-1,
    0x1.fd009ed21522ep-1, 0x1.fd0b3c0f56383p-1, 0x1.fd154bb89d17bp-1,
    0x1.fd1ed7aed8b5bp-1, 0x1.fd27e8e3a8ep-1, 0x1.fd30877528ef5p-1,
    0x1.fd38bac5eac24p-1, 0x1.fd408991bb39dp-1, 0x1.fd47f9ffae779p-1,
    0x1.fd4f11b1dc5fcp-1, 0x1.fd55d5d32445bp-1, 0x1.fd5c4b234058p-1,
    0x1.fd62760165a46p-1, 0x1.fd685a75a3eebp-1, 0x1.fd6dfc3930a32p-1,
    0x1.fd735ebdc1967p-1, 0x1.fd78853416cdp-1, 0x1.fd7d7291cdf4fp-1,
    0x1.fd82299696616p-1, 0x1.fd86acd0d927p-1, 0x1.fd8afea1e63a8p-1,
    0x1.fd8f2141b529dp-1, 0x1.fd9316c24612cp-1, 0x1.fd96e112add12p-1,
    0x1.fd9a8201d6f19p-1, 0x1.fd9dfb40ffc11p-1, 0x1.fda14e65fcc2fp-1,
    0x1.fda47ced45f59p-1, 0x1.fda7883bd47eep-1, 0x1.fdaa71a0d5ba6p-1,
    0x1.fdad3a5737ffcp-1, 0x1.fdafe38715014p-1, 0x1.fdb26e46fd2bfp-1,
    0x1.fdb4db9d27138p-1, 0x1.fdb72c808598cp-1, 0x1.fdb961d9c734ap-1,
    0x1.fdbb7c844089ep-1, 0x1.fdbd7d4ec427cp-1, 0x1.fdbf64fc69339p-1,
    0x1.fdc134454282fp-1, 0x1.fdc2ebd707854p-1, 0x1.fdc48c55b03a9p-1,
    0x1.fdc6165c0554ep-1, 0x1.fdc78a7c2583dp-1, 0x1.fdc8e94000d3cp-1,
    0x1.fdca3329caf0ap-1, 0x1.fdcb68b4650aep-1, 0x1.fdcc8a53c009ap-1,
    0x1.fdcd987537a58p-1, 0x1.fdce937fe6f97p-1, 0x1.fdcf7bd4f70a8p-1,
    0x1.fdd051cfe7b92p-1, 0x1.fdd115c6d3889p-1, 0x1.fdd1c80aae9cp-1,
    0x1.fdd268e781407p-1, 0x1.fdd2f8a49e55bp-1, 0x1.fdd37784d5dfp-1,
    0x1.fdd3e5c6a3fdap-1, 0x1.fdd443a45c944p-1, 0x1.fdd4915453c94p-1,
    0x1.fdd4cf09039d8p-1, 0x1.fdd4fcf12ec35p-1, 0x1.fdd51b3800e47p-1,
    0x1.fdd52a052c7a9p-1, 0x1.fdd5297d06601p-1, 0x1.fdd519c09f39dp-1,
    0x1.fdd4faeddad7bp-1, 0x1.fdd4cd1f85a68p-1, 0x1.fdd4906d684dap-1,
    0x1.fdd444ec598ep-1, 0x1.fdd3eaae4e769p-1, 0x1.fdd381c269035p-1,
    0x1.fdd30a3505354p-1, 0x1.fdd2840fc4b31p-1, 0x1.fdd1ef599901ep-1,
    0x1.fdd14c16cc5fep-1, 0x1.fdd09a49094ddp-1, 0x1.fdcfd9ef60ce8p-1,
    0x1.fdcf0b064f677p-1, 0x1.fdce2d87c0e67p-1, 0x1.fdcd416b12f52p-1,
    0x1.fdcc46a5167cbp-1, 0x1.fdcb3d280fdefp-1, 0x1.fdca24e3b6078p-1,
    0x1.fdc8fdc530551p-1, 0x1.fdc7c7b7135e1p-1, 0x1.fdc682a15c8dep-1,
    0x1.fdc52e696c9acp-1, 0x1.fdc3caf200d2p-1, 0x1.fdc2581b2b36bp-1,
    0x1.fdc0d5c2496e6p-1, 0x1.fdbf43c1fa782p-1, 0x1.fdbda1f213258p-1,
    0x1.fdbbf027914fap-1, 0x1.fdba2e348dbf8p-1, 0x1.fdb85be82cbf5p-1,
    0x1.fdb6790e8d4b4p-1, 0x1.fdb48570b6d52p-1, 0x1.fdb280d4858dap-1,
    0x1.fdb06afc95248p-1, 0x1.fdae43a829f13p-1, 0x1.fdac0a93186f9p-1,
    0x1.fda9bf75ab017p-1, 0x1.fda7620485dd1p-1, 0x1.fda4f1f08913cp-1,
    0x1.fda26ee6b0983p-1, 0x1.fd9fd88ff229ep-1, 0x1.fd9d2e9119094p-1,
    0x1.fd9a708a9f553p-1, 0x1.fd979e1884f21p-1, 0x1.fd94b6d223d43p-1,
    0x1.fd91ba4a01885p-1, 0x1.fd8ea80d9dd02p-1, 0x1.fd8b7fa53e242p-1,
    0x1.fd884093b5eb7p-1, 0x1.fd84ea562b335p-1, 0x1.fd817c63d7ad9p-1,
    0x1.fd7df62dc5b7fp-1, 0x1.fd7a571e8929ep-1, 0x1.fd769e99f39f2p-1,
    0x1.fd72cbfcc3f1bp-1, 0x1.fd6ede9c508e1p-1, 0x1.fd6ad5c62c452p-1,
    0x1.fd66b0bfc537ap-1, 0x1.fd626ec5fd704p-1, 0x1.fd5e0f0cbcb52p-1,
    0x1.fd5990be7b112p-1, 0x1.fd54f2fbc38acp-1, 0x1.fd5034daae6f9p-1,
    0x1.fd4b556652919p-1, 0x1.fd46539e2cc01p-1, 0x1.fd412e757cba8p-1,
    0x1.fd3be4d296c55p-1, 0x1.fd36758e28f6fp-1, 0x1.fd30df72733ddp-1,
    0x1.fd2b213a71067p-1, 0x1.fd253990f34c4p-1, 0x1.fd1f270fa9c6cp-1,
    0x1.fd18e83e19befp-1, 0x1.fd127b9080f37p-1, 0x1.fd0bdf66a2cdbp-1,
    0x1.fd05120a7df72p-1, 0x1.fcfe11aee82d6p-1, 0x1.fcf6dc6e0df87p-1,
    0x1.fcef7047d3aacp-1, 0x1.fce7cb2014c2fp-1, 0x1.fcdfeabcbe804p-1,
    0x1.fcd7ccc3c2169p-1, 0x1.fccf6eb8da8f8p-1, 0x1.fcc6cdfb21ee8p-1,
    0x1.fcbde7c270afbp-1, 0x1.fcb4b91c821fep-1, 0x1.fcab3ee9d76b9p-1,
    0x1.fca175da52803p-1, 0x1.fc975a698105fp-1, 0x1.fc8ce8da8ebfep-1,
    0x1.fc821d33d587ep-1, 0x1.fc76f339ffdc2p-1, 0x1.fc6b666ab17edp-1,
    0x1.fc5f71f6a804fp-1, 0x1.fc5310bb4344ep-1, 0x1.fc463d3b63665p-1,
    0x1.fc38f19787c2ap-1, 0x1.fc2b278516d75p-1, 0x1.fc1cd844b4171p-1,
    0x1.fc0dfc9784686p-1, 0x1.fbfe8cb33d701p-1, 0x1.fbee8034d64bdp-1,
    0x1.fbddce11a9edap-1, 0x1.fbcc6c86d3adep-1, 0x1.fbba510685b0dp-1,
    0x1.fba770230e0fep-1, 0x1.fb93bd773309p-1, 0x1.fb7f2b8b7f507p-1,
    0x1.fb69abb805771p-1, 0x1.fb532e020b811p-1, 0x1.fb3ba0f4f5663p-1,
    0x1.fb22f175a5397p-1, 0x1.fb090a8f60c0cp-1, 0x1.faedd5391ca55p-1,
    0x1.fad13811d2d7ap-1, 0x1.fab31712417f2p-1, 0x1.fa935332161e4p-1,
    0x1.fa71c9fe18acap-1, 0x1.fa4e551c5e0cp-1, 0x1.fa28c9bad8175p-1,
    0x1.fa00f7e3b898dp-1, 0x1.f9d6a9b1fcfcfp-1, 0x1.f9a9a25f0698cp-1,
    0x1.f9799d2043b8dp-1, 0x1.f9464bc97b1a8p-1, 0x1.f90f552512116p-1,
    0x1.f8d452ef5cf46p-1, 0x1.f894cf5c4a985p-1, 0x1.f8504206f3555p-1,
    0x1.f8060c1fec82bp-1, 0x1.f7b573a0805eap-1, 0x1.f75d9d343b684p-1,
    0x1.f6fd846cde77ap-1, 0x1.f693f1aa6d1f1p-1, 0x1.f61f6ce3158p-1,
    0x1.f59e2c1a68cb3p-1, 0x1.f50dfbcb6777ep-1, 0x1.f46c1eb03d05dp-1,
    0x1.f3b520fb7c0a2p-1, 0x1.f2e498e9b724dp-1, 0x1.f1f4caf0614fap-1,
    0x1.f0de218c66fbp-1, 0x1.ef965d8503d87p-1, 0x1.ee0f4eaa6d24dp-1,
    0x1.ec34bc836d7c7p-1, 0x1.e9e8d2ac1bf2bp-1, 0x1.e6fdac3fee25ep-1,
    0x1.e328e15f39901p-1, 0x1.dde9702fc4438p-1, 0x1.d64abd3a5f482p-1,
    0x1.ca3ecfd80936ap-1, 0x1.b46a9f574846cp-1, 0x1.8117d31e55954p-1,
    0x0p+0,
};
