// Two runs at two commits: the history has a line for each, and report.html charts both.
def git = { String... args ->
    def p = (['git'] + (args as List)).execute(null, basedir)
    def out = p.text
    assert p.waitFor() == 0 : "git ${args}: ${out}"
    out.trim()
}
def history = new File(basedir, 'cnn-history.csv')
assert history.isFile() : 'the first run wrote no history'
def commitA = git('rev-parse', 'HEAD')
assert history.readLines().size() == 2 : history.text

// Commit B, then the second run, as a real mvn invocation with the same local repository.
new File(basedir, 'CHANGE.txt').text = 'B'
git('-c', 'user.name=it', '-c', 'user.email=it@example.invalid', 'add', 'CHANGE.txt')
git('-c', 'user.name=it', '-c', 'user.email=it@example.invalid', 'commit', '-q', '-m', 'B')
def commitB = git('rev-parse', 'HEAD')
def mvn = new File(System.getProperty('maven.home'), 'bin/mvn').path
def goal = { String name, String logName, String... extra ->
    def cmd = [mvn, '-B', '-o', "-Dmaven.repo.local=${localRepositoryPath}", '-Dai.djl.offline=true',
               "${pluginCoordinates}:${name}".toString()] + (extra as List)
    def proc = new ProcessBuilder(cmd*.toString()).directory(basedir).redirectErrorStream(true).start()
    def text = proc.inputStream.text
    new File(basedir, logName).text = text
    [proc.waitFor(), text]
}
def benchmark = { String logName, String... extra -> goal('benchmark', logName, extra) }
def (rc2, log2) = benchmark('build-2.log')
assert rc2 == 0 : log2

def lines = history.readLines()
assert lines[0] == 'date,commit,branch,machine,protocol,fingerprint,architecture,seeds,mean_test_accuracy,std_test_accuracy,train_images_per_second,run_id'
assert lines.size() == 3 : history.text
assert lines[1].contains(",${commitA},main,") && lines[2].contains(",${commitB},main,")
assert lines.every { it == lines[0] || it.contains(',resnext-seed,1,') }
// Same protocol, same fingerprint: the two points are comparable.
def fingerprint = { String l -> (l =~ /,([0-9a-f]{12}),resnext-seed,/)[0][1] }
assert fingerprint(lines[1]) == fingerprint(lines[2])

def report = new File(basedir, 'target/cnn/report.html').text
assert report.contains('id="history"')
assert report.contains(commitA.substring(0, 7)) && report.contains(commitB.substring(0, 7))

// A damaged history fails the build, naming the file, after the run's report is written; the file is kept as it was.
def damaged = history.text + 'not a history line\n'
history.text = damaged
def reportFile = new File(basedir, 'target/cnn/report.html')
assert reportFile.delete()
def (rc3, log3) = benchmark('build-3.log')
assert rc3 != 0 : 'a damaged history passed the build'
assert log3.contains("cannot append to the history ${history.path}") : log3
assert reportFile.isFile() : 'the damaged history cost the run its report.html'
assert history.text == damaged : 'the damaged history was changed'

// A CI job's shard appends nothing (its seeds are part of a run that cnn:report merges), not even to a good history.
def good = lines.join('\n') + '\n'
history.text = good
def (rc4, log4) = benchmark('build-4.log', '-Dcnn.shard=1/2', '-Dcnn.seeds=2', '-Dcnn.outputDirectory=target/shard-1')
assert rc4 == 0 : log4
assert log4.contains('history: not appended by shard 1/2, whose rows are part of a run') : log4
assert history.text == good : 'a shard job appended to the history'
// It leaves its own seed's line beside its results instead, and so does shard 2/2.
def shardLines = { int i -> new File(basedir, "target/shard-${i}/history-shard.csv").readLines() }
assert shardLines(1).size() == 2 && shardLines(1)[0] == lines[0] && shardLines(1)[1].contains(",${commitB},main,")
assert shardLines(1)[1].contains(',resnext-seed,1,') : shardLines(1)
def (rc5, log5) = benchmark('build-5.log', '-Dcnn.shard=2/2', '-Dcnn.seeds=2', '-Dcnn.outputDirectory=target/shard-2')
assert rc5 == 0 : log5
assert history.text == good : 'a shard job appended to the history'
assert shardLines(2).size() == 2 && shardLines(2)[1].contains(',resnext-seed,1,') : shardLines(2)

// cnn:report over both shards appends the whole run's line (both seeds, both shards' run ids) and charts it.
def shards = '-Dcnn.resultDirectories=target/shard-1,target/shard-2'
def (rc6, log6) = goal('report', 'build-6.log', shards, '-Dcnn.outputDirectory=target/merged')
assert rc6 == 0 : log6
def merged = history.readLines()
assert merged.size() == 4 && merged[0..2] == lines : history.text
assert merged[3].contains(",${commitB},main,") && merged[3].contains(',resnext-seed,2,') : merged[3]
def shardRun = { int i -> shardLines(i)[1].split(',')[-1] }
assert merged[3].endsWith(",${[shardRun(1), shardRun(2)].sort().join('+')}") : merged[3]
assert fingerprint(merged[3]) == fingerprint(lines[2]) : 'the merged run was measured under another protocol'
assert log6.contains('history: the split run ') && log6.contains(' merged, resnext-seed over 2 seeds, appended to') : log6
assert new File(basedir, 'target/merged/report.html').text.contains('id="history"')
// Merging again adds no second point; one shard alone adds none and says why.
def (rc7, log7) = goal('report', 'build-7.log', shards, '-Dcnn.outputDirectory=target/merged')
assert rc7 == 0 : log7
assert log7.contains('is already in') : log7
assert history.readLines() == merged
def (rc8, log8) = goal('report', 'build-8.log', '-Dcnn.resultDirectories=target/shard-1',
        '-Dcnn.outputDirectory=target/merged')
assert log8.contains('[WARNING] history: no line for this split run: the shards are not one complete run (shard 2/2') : log8
assert history.readLines() == merged
// Shard 2 rerun (a new run in its directory) and merged with shard 1 again: the line already there counts shard 1's
// seed, so a second point would count it twice. No line, a warning naming the one there; the build goes on.
def (rc9, log9) = benchmark('build-9.log', '-Dcnn.shard=2/2', '-Dcnn.seeds=2', '-Dcnn.outputDirectory=target/shard-2')
assert rc9 == 0 : log9
assert shardRun(2) != merged[3].split(',')[-1].split('\\+').find { it != shardRun(1) } : 'the rerun kept its run id'
def (rc10, log10) = goal('report', 'build-10.log', shards, '-Dcnn.outputDirectory=target/merged')
assert rc10 == 0 : log10
assert log10.contains('[WARNING] history: no line for this split run: resnext-seed: run ') : log10
assert log10.contains(" shares a run with the line of run ${merged[3].split(',')[-1]}") : log10
assert history.readLines() == merged
return true
