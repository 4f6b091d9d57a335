// The project becomes a git repository with one commit, as a user's project would be.
def git = { String... args ->
    def p = (['git'] + (args as List)).execute(null, basedir)
    def out = p.text
    assert p.waitFor() == 0 : "git ${args}: ${out}"
    out.trim()
}
git('init', '-q', '-b', 'main')
git('-c', 'user.name=it', '-c', 'user.email=it@example.invalid', 'add', 'pom.xml')
git('-c', 'user.name=it', '-c', 'user.email=it@example.invalid', 'commit', '-q', '-m', 'A')
return true
