//! The digest of everything a build reads (see the module doc of `cache`).

use std::io;
use std::os::unix::fs::MetadataExt as _;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::output::WalkOptions;

use crate::secrets::SecretPaths;

/// The options of `topo build` that change what it writes or prints.
pub struct OutputOptions<'a> {
    pub out: &'a Path,
    pub templates: Option<&'a Path>,
    /// `--deny`, `--format` and anything else that changes the report, as text.
    pub report: String,
}

/// A build's inputs, digested; also the topology text that was read for it
/// (a replay prints diagnostics against it).
pub struct Fingerprint {
    pub key: String,
    pub topology_text: String,
    /// [`secret_state`] when the fingerprint was taken.
    pub secrets: String,
}

impl Fingerprint {
    pub fn of(topology: &Path, options: &OutputOptions<'_>) -> io::Result<Fingerprint> {
        let mut h = Framed(Sha256::new());
        h.field(b"topo build cache v1");
        binary(&mut h)?;
        h.field(options.out.as_os_str().as_encoded_bytes());
        h.field(options.report.as_bytes());
        let topology_text = std::fs::read_to_string(topology)?;
        h.field(topology.as_os_str().as_encoded_bytes());
        h.field(topology_text.as_bytes());
        let dir = crate::source::dir_of(topology);
        files_by_content(&mut h, &dir.join("profiles"))?;
        match options.templates {
            Some(templates) => files_by_content(&mut h, templates)?,
            None => h.field(b"builtin templates"),
        }
        let secrets = secret_state(&SecretPaths::beside(topology))?;
        h.field(secrets.as_bytes());
        Ok(Fingerprint {
            key: hex(&h.0.finalize()),
            topology_text,
            secrets,
        })
    }
}

/// The digest of the lock's bytes and the store's metadata: a build that
/// changes it (a new client, a rotated or re-hashed secret, a rewritten env
/// file) is not recorded, since the next build would report differently.
pub fn secret_state(paths: &SecretPaths) -> io::Result<String> {
    let mut h = Framed(Sha256::new());
    match std::fs::read(&paths.lock) {
        Ok(bytes) => h.field(&bytes),
        Err(e) if e.kind() == io::ErrorKind::NotFound => h.field(b"no lock"),
        Err(e) => return Err(e),
    }
    for (rel, meta) in entries(&paths.store_dir)? {
        h.field(rel.as_bytes());
        h.field(&stamp(&meta));
    }
    Ok(hex(&h.0.finalize()))
}

/// Each field is length-prefixed, so no two sequences of fields digest alike.
struct Framed(Sha256);

impl Framed {
    fn field(&mut self, bytes: &[u8]) {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }
}

/// The running executable: a rebuilt topo is another compiler.
fn binary(h: &mut Framed) -> io::Result<()> {
    let exe = std::env::current_exe()?;
    h.field(exe.as_os_str().as_encoded_bytes());
    h.field(&stamp(&std::fs::metadata(&exe)?));
    Ok(())
}

/// Every file under `dir` (recursively, sorted) by path and bytes; an absent
/// directory is a field of its own.
fn files_by_content(h: &mut Framed, dir: &Path) -> io::Result<()> {
    let entries = entries(dir)?;
    h.field(if entries.is_empty() {
        b"empty"
    } else {
        b"files"
    });
    for (rel, _) in entries {
        h.field(rel.as_bytes());
        h.field(&std::fs::read(dir.join(&rel))?);
    }
    Ok(())
}

/// Size, inode, kind, permissions and times: what changes when a file is
/// written, replaced or touched.
pub(super) fn stamp(meta: &std::fs::Metadata) -> Vec<u8> {
    let fields = [
        meta.len() as i64,
        meta.ino() as i64,
        meta.mode() as i64,
        meta.mtime(),
        meta.mtime_nsec(),
        meta.ctime(),
        meta.ctime_nsec(),
    ];
    fields.iter().flat_map(|f| f.to_le_bytes()).collect()
}

/// Relative paths and metadata of every file under `dir` (symlinks to files
/// followed, as the readers do), sorted; empty when `dir` does not exist.
pub(super) fn entries(dir: &Path) -> io::Result<Vec<(String, std::fs::Metadata)>> {
    if let Err(e) = std::fs::read_dir(dir) {
        return match e.kind() {
            io::ErrorKind::NotFound => Ok(Vec::new()),
            _ => Err(e),
        };
    }
    let options = WalkOptions {
        follow_file_symlinks: true,
        skip_git: false,
    };
    crate::output::files(dir, "", options)?
        .into_iter()
        .map(|(rel, path)| Ok((rel, std::fs::metadata(path)?)))
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
