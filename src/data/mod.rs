//! Typed CSV loading: every file under `data/` is read into a struct with serde, and a bad
//! file gives an error naming the file, the line and the field.
//!
//! ```
//! use faultline::data::load_csv;
//! #[derive(serde::Deserialize)]
//! struct Row { name: String, ppm: f64 }
//! let dir = std::env::temp_dir().join(format!("faultline-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let path = dir.join("rows.csv");
//! std::fs::write(&path, "name,ppm\nfast,20\nslow,oops\n").unwrap();
//! let err = load_csv::<Row>(&path).err().unwrap().to_string();
//! assert!(err.contains("rows.csv: line 3, field `ppm`"), "{err}");
//! ```

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// The directory holding the workbook's data files (`data/` at the crate root).
pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// Reads every row of the CSV file at `path` (which must have a header row) into `T`.
pub fn load_csv<T: DeserializeOwned>(path: &Path) -> Result<Vec<T>> {
    let data_err = |line: u64, field: Option<String>, message: String| Error::Data {
        file: path.to_path_buf(),
        line,
        field,
        message,
    };
    if path.is_dir() {
        return Err(data_err(0, None, "is a directory; give the path of a CSV file".into()));
    }
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_path(path)
        .map_err(|e| data_err(0, None, format!("cannot open: {}", io_message(&e))))?;
    let headers = reader.headers().map_err(|e| data_err(1, None, e.to_string()))?.clone();
    let mut rows = Vec::new();
    for result in reader.deserialize::<T>() {
        let row = result.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            match e.kind() {
                csv::ErrorKind::Deserialize { err, .. } => {
                    let field = err.field().and_then(|i| headers.get(i as usize)).map(str::to_string);
                    data_err(line, field, err.kind().to_string())
                }
                csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                    data_err(line, None, format!("{len} fields where the header has {expected_len}"))
                }
                _ => data_err(line, None, e.to_string()),
            }
        })?;
        rows.push(row);
    }
    if rows.is_empty() {
        return Err(data_err(1, None, "no data rows".into()));
    }
    Ok(rows)
}

fn io_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) => io.to_string(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Row {
        name: String,
        ppm: f64,
    }

    fn write(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("faultline-data-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn errors_name_file_line_and_field() {
        let missing = load_csv::<Row>(Path::new("/nonexistent/x.csv"))
            .unwrap_err()
            .to_string();
        assert!(missing.starts_with("/nonexistent/x.csv: cannot open"), "{missing}");
        let short = load_csv::<Row>(&write("short.csv", "name,ppm\na,1\nb\n"))
            .unwrap_err()
            .to_string();
        assert!(
            short.contains("short.csv: line 3: 1 fields where the header has 2"),
            "{short}"
        );
        let empty = load_csv::<Row>(&write("empty.csv", "name,ppm\n"))
            .unwrap_err()
            .to_string();
        assert!(empty.contains("no data rows"), "{empty}");
        let ok = load_csv::<Row>(&write("ok.csv", "# comment\nname, ppm\na, 1.5\n")).unwrap();
        assert_eq!(ok[0].ppm, 1.5);
    }
}
