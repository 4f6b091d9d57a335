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
def benchmark = { String logName, String... extra ->
    def cmd = [mvn, '-B', '-o', "-Dmaven.repo.local=${localRepositoryPath}", '-Dai.djl.offline=true',
               "${pluginCoordinates}:benchmark".toString()] + (extra as List)
    def proc = new ProcessBuilder(cmd*.toString()).directory(basedir).redirectErrorStream(true).start()
    def text = proc.inputStream.text
    new File(basedir, logName).text = text
    [proc.waitFor(), text]
}
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
return true
