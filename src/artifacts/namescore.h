/* namescore.h - how random a file name looks (0..100).
 *
 * Mumblehard drops its backdoor as a short random name in a temp
 * directory, e.g. /var/tmp/qCVwOWA (7 ASCII letters, mixed case), and runs
 * it from cron.  Temp directories are also full of random-looking names
 * written by benign software, so the score is a triage hint, never a
 * verdict on its own.
 *
 * SCORING (this text is meant for the user documentation)
 *
 * 1. Not judged, score 0:
 *    - empty names, names longer than 255 bytes (NAME_MAX);
 *    - names with any byte outside printable ASCII (0x21..0x7e): control
 *      characters, spaces, UTF-8.  The score only models ASCII letter
 *      statistics; such names are odd for other reasons and should be
 *      flagged by a separate check, not by this one.
 * 2. Known benign patterns, score 0 (matched case-sensitively):
 *    prefixes  systemd-private-  hsperfdata_  sess_  krb5cc_  ssh-
 *              pulse-  tmux-  vmware-  config-err-  php  tmp  .X  .ICE-
 *              .font-  orbit-  gpg-  mc-  snap.  .Test-unix  .XIM-unix
 *              lost+found  dbus-  .com.google.Chrome.  mozilla_
 *              clr-debug-pipe-
 *    suffixes  .pid  .lock  .log  .sock  .socket  .tmp  .swp  -unix
 *    The random tails of these (mkstemp "XXXXXX" templates such as
 *    mktemp's tmp.XXXXXXXXXX, Python's tmpXXXXXXXX, ssh-agent's
 *    ssh-XXXXXXXXXX, GNOME's config-err-XXXXXX, PHP uploads phpXXXXXX)
 *    are random by design but written by well known software, so they
 *    are not what we hunt.  Trade-off: a dropper named like one of these
 *    (e.g. "tmpqCVwOWA", "x.log") is not flagged by its name.
 * 3. The name is split into tokens of ASCII letters and digits; any
 *    other character ('.', '-', '_', '+', ' ' ...) separates tokens.  The
 *    name scores as its most random token, so "update.sh" is as random
 *    as "update" and "qCVwOWA.sh" as "qCVwOWA".  Names made of words
 *    joined by separators thus score low.
 * 4. A token scores the sum of (capped at 100):
 *    - mixed case      if it has a lower-case letter and an upper-case
 *                      letter after the first character (Title case and
 *                      ALL CAPS are not mixed): 25, or 35 when its
 *                      camelCase words (My|File|Name, HTML|Parser,
 *                      q|C|Vw|OWA) average under 3 letters, or 45 when
 *                      under 2.5; halved when at most a fifth of its
 *                      letter pairs are rare and it has a vowel
 *                      (camelCase of real words);
 *    - rare bigrams    40 x the share of adjacent letter pairs (case
 *                      folded) that are not among ~220 common English
 *                      bigrams (table in namescore.c);
 *    - vowels          20 if 6 or more letters and none of aeiouy, else
 *                      10 if a run of 4 or more consonants;
 *    - digits          15 if it has two or more separate digit runs
 *                      ("a8Xk2"); one version number ("apache2",
 *                      "perl5lib") does not count.
 *    Then, by length: tokens shorter than 5 characters score a third
 *    (too short to judge), tokens of 13..16 lose 15, longer tokens are
 *    capped at 30 (long random tokens are hashes and ids written by
 *    software; the droppers we hunt use 5..12 characters).  Tokens of
 *    only hex digits with at least one digit ("3f1c2a0e") are capped at
 *    20 for the same reason; tokens of only digits score 0.
 * 5. MS_NAME_RANDOM_THRESHOLD (60) was calibrated on the lists in
 *    tests/unit/test_namescore.c: qCVwOWA (75), xKzPqRt, aZbYcXd,
 *    QWxvbNM, hgFTrEw (68), jKLmnBv score at or above it; backup,
 *    apache2, logrotate, Crashpad, README, HTMLParser (48) ... below.
 *    Known weak spots: all-lowercase random names score below the
 *    threshold (xkzpqrt 53), since short lowercase consonant names are
 *    common daemon names (gvfsd 50, httpd 30); acronym-heavy identifiers
 *    (MySQL, GtkWidget 55) come close to it.
 *
 * Work is bounded: names longer than 255 bytes are not examined. */
#ifndef MS_NAMESCORE_H
#define MS_NAMESCORE_H

#define MS_NAME_RANDOM_THRESHOLD 60
#define MS_NAME_MAX_LEN         255

/* Randomness score 0..100 of one file name (not a path).  If why is not
 * NULL it gets a static string naming the main reason (never NULL; do
 * not free).  NULL name scores 0. */
int ms_name_score(const char *name, const char **why);

/* 1 if ms_name_score(name) >= MS_NAME_RANDOM_THRESHOLD. */
int ms_name_is_random(const char *name);

#endif
