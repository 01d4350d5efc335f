//! Rebuild when the migrations or the bundled catalog change: both are
//! compiled into the binary by macros that Cargo cannot see through.

fn main() {
    println!("cargo:rerun-if-changed=db/migrations");
    println!("cargo:rerun-if-changed=db/catalog");
}
