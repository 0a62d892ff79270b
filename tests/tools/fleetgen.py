#!/usr/bin/python3
"""fleetgen.py - synthetic per-image mumblescan results for merge tests and
benchmarks (mumblescan merge).

    fleetgen.py [--seed S] [--infected FRACTION] [--examined N]
                [--hostile] [--schema V] OUTDIR COUNT

Writes COUNT JSON results shaped like `mumblescan -f json` reports
(docs/json-format.md: schema_version, image, hosts, summary, volumes,
crontabs, cron_jobs, findings, examined) into OUTDIR/hNNNNNN/report.json,
each directory also holding a report.txt, as a result directory would.
A fraction of the hosts is infected from a small pool of samples
(packed ELF with a recovered script), C&C addresses and crontab lines,
with infection times spread over 2014-2015; every 20th host has a volume
that could not be examined.  Deterministic for a given seed.  No real
malware: hashes are SHA-256 of made-up strings."""
import argparse
import hashlib
import json
import os
import random


def sha(s, alg="sha256"):
    return hashlib.new(alg, s.encode()).hexdigest()


def t(sec):
    import datetime
    d = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=sec)
    return d.strftime("%Y-%m-%dT%H:%M:%S") + ".000000000Z"


def times(sec, atime=None):
    return {"mtime": t(sec), "atime": t(atime or sec), "ctime": t(sec),
            "crtime": t(sec), "dtime": None}


OSES = [("Debian GNU/Linux 7 (wheezy)", "debian", "7"),
        ("Debian GNU/Linux 8 (jessie)", "debian", "8"),
        ("CentOS release 6.6 (Final)", "centos", "6"),
        ("Ubuntu 14.04.2 LTS", "ubuntu", "14.04"),
        ("FreeBSD 10.1", "freebsd", "10.1")]
CC = ["194.54.81.162", "194.54.81.163", "194.54.81.164", "37.59.17.139",
      "5.135.182.52"]
T0 = 1388534400  # 2014-01-01


def make(i, rng, a):
    name = "srv%05d.example.net" % i
    infected = rng.random() < a.infected
    sample = rng.randrange(6)
    cc = rng.randrange(len(CC))
    when = T0 + rng.randrange(0, 500 * 86400)
    os_ = OSES[i % len(OSES)]
    media = sha("media-%d" % i)
    files, findings, examined, jobs, tabs = [], [], [], [], []
    for k in range(a.examined):
        p = "/tmp/sess_%d_%d" % (i, k)
        examined.append({"id": k, "volume": 0, "path": p, "verdict": "clean",
                         "hashes": {"md5": sha(p, "md5"), "sha1": sha(p, "sha1"),
                                    "sha256": sha(p)},
                         "size": 100 + k, "times": times(T0 + k),
                         "reasons": [], "unpacked": None, "yara": [],
                         "origin": ["temp_dir"], "magic": "ASCII text"})
    tabs.append({"index": 0, "volume": 0, "path": "/etc/crontab", "readable": True,
                 "note": None, "times": times(T0), "reasons": []})
    jobs.append({"crontab": 0, "volume": 0, "file": "/etc/crontab", "line": 6,
                 "user": "root", "schedule": "17 * * * *",
                 "command": "cd / && run-parts --report /etc/cron.hourly",
                 "programs": [], "reasons": []})
    if infected:
        fid = a.examined
        path = "/var/tmp/" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
                                     for _ in range(7))
        findings.append({
            "id": fid, "volume": 0, "path": path, "verdict": "malicious",
            "hashes": {"md5": sha("sample%d" % sample, "md5"),
                       "sha1": sha("sample%d" % sample, "sha1"),
                       "sha256": sha("sample%d" % sample)},
            "size": 30000 + sample, "times": times(when, when + 86400 * 30),
            "reasons": [{"code": "YARA_MATCH", "severity": "malicious",
                         "text": "YARA rule Mumblehard_packer"}],
            "unpacked": {"status": "unpacked", "method": "static",
                         "sha256": sha("script%d" % sample), "kind": "backdoor",
                         "indicators": [
                             {"type": "ipv4", "value": CC[cc], "class": "known",
                              "decoy": False, "offset": 100},
                             {"type": "port", "value": CC[cc] + ":25", "class": "other",
                              "decoy": False, "offset": 120},
                             {"type": "host", "value": "ya.ru", "class": "decoy",
                              "decoy": True, "offset": 140},
                             {"type": "user_agent",
                              "value": "Mozilla/5.0 (Windows NT 6.1; rv:7.0.1) Gecko/20100101 Firefox/7.0.1",
                              "class": "weak", "decoy": False, "offset": 160}]},
            "yara": [], "origin": ["cron_program", "temp_dir"]})
        owner = "www-data" if sample % 2 == 0 else "apache"
        spool = "/var/spool/cron/crontabs/" + owner
        tabs.append({"index": 1, "volume": 0, "path": spool, "readable": True,
                     "note": None, "times": times(when + 2), "reasons": []})
        jobs.append({"crontab": 1, "volume": 0, "file": spool, "line": 4,
                     "user": owner, "schedule": "*/15 * * * *",
                     "command": path + " >/dev/null 2>&1",
                     "programs": [{"as_written": path, "resolved": path,
                                   "status": "found", "file": fid}],
                     "reasons": []})
    hostname = name
    if a.hostile and i % 7 == 3:
        hostname = "evil\u001b[31m<script>alert(1)</script>\u202e" + name
    vols = [{"index": 0, "state": "examined", "note": None, "partial": False}]
    incomplete = i % 20 == 19
    if incomplete:
        vols.append({"index": 1, "state": "not_examined",
                     "note": "LVM2 LV data in VG vg0 (thin): not examined",
                     "partial": False})
    verdict = "malicious" if infected else ("incomplete" if incomplete else "clean")
    doc = {
        "schema_version": a.schema, "tool": {"name": "mumblescan", "version": "0.1.0"},
        "image": {"paths": ["/evidence/%s.raw" % name], "format": "raw",
                  "media_size": 10737418240, "sector_size": 512,
                  "segments": [{"path": "/evidence/%s.raw" % name, "size": 10737418240}],
                  "media_hashes": {"md5": sha(media, "md5"), "sha1": sha(media, "sha1"),
                                   "sha256": media}},
        "scan": {"started": t(1430438400 + i), "finished": t(1430438460 + i),
                 "images": ["/evidence/%s.raw" % name], "image_type": "raw"},
        "hosts": [{"volume": 0, "hostname": hostname, "hostname_source": "/etc/hostname",
                   "os_pretty_name": os_[0], "os_id": os_[1], "os_version_id": os_[2],
                   "machine_id": sha("mid%d" % i, "md5"),
                   "addresses": [{"address": "198.18.%d.%d/24" % (i // 250 % 256, i % 250 + 1),
                                  "interface": "eth0", "source": "/etc/network/interfaces"}],
                   "ssh_host_keys": [{"path": "/etc/ssh/ssh_host_ed25519_key.pub",
                                      "type": "ssh-ed25519", "bits": 256,
                                      "fingerprint": "SHA256:" + sha("key%d" % i)[:43],
                                      "label": "(ED25519)"}]}],
        "summary": {"verdict": verdict, "exit_status": 1 if infected else (3 if incomplete else 0),
                    "malicious": 1 if infected else 0, "suspicious": 0,
                    "evidence_incomplete": False, "unreadable_bytes": 0},
        "case": {"case": "OP-MUMBLE", "examiner": None, "evidence_id": "E%05d" % i,
                 "notes": None},
        "volumes": vols, "crontabs": tabs, "cron_jobs": jobs,
        "findings": findings, "examined": examined, "timeline": [], "errors": [],
    }
    return doc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--infected", type=float, default=0.3)
    ap.add_argument("--examined", type=int, default=20)
    ap.add_argument("--hostile", action="store_true")
    ap.add_argument("--schema", default="1.0")
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("outdir")
    ap.add_argument("count", type=int)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    for i in range(a.start, a.start + a.count):
        d = os.path.join(a.outdir, "h%06d" % i)
        os.makedirs(d, exist_ok=True)
        doc = make(i, rng, a)
        with open(os.path.join(d, "report.json"), "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=2)
            fh.write("\n")
        with open(os.path.join(d, "report.txt"), "w", encoding="utf-8") as fh:
            fh.write("mumblescan report (text)\n")


main()
