//! A bare HTTP/1.1 server on 127.0.0.1 whose handler writes the response bytes itself, for
//! what httpmock cannot serve: chunked bodies, bodies that stall or stop halfway, endless ones.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// The longest a connection may stay silent before the server gives up on it, so that no
/// handler can hang a test for good.
const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest request head read.
const HEAD_LIMIT: usize = 64 * 1024;

/// Serves connections one at a time on `127.0.0.1:<free port>` until dropped: reads each
/// request's head, then hands the connection to the handler, which writes the response.
///
/// The request body, if any, is not read. Handler errors (a client that hung up) are ignored.
/// Dropping the server does not wait for a handler still running: in a single-threaded test
/// runtime the client's connection could not close while the test blocked on it. Every read
/// and write gives up after 10 s of silence, so no handler outlives its test by much.
///
/// ```
/// use std::io::Write;
/// use vast_api_tests::raw_server::RawServer;
///
/// let server = RawServer::start(|stream| {
///     stream.write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n")
/// })
/// .unwrap();
/// assert!(server.base_url().starts_with("http://127.0.0.1:"));
/// ```
pub struct RawServer {
    address: SocketAddr,
    stop: Arc<AtomicBool>,
}

impl RawServer {
    /// Starts the server on a free loopback port.
    pub fn start<F>(handler: F) -> io::Result<Self>
    where
        F: Fn(&mut TcpStream) -> io::Result<()> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let address = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(mut stream) = stream else { continue };
                let _ = serve(&mut stream, &handler);
                let _ = stream.shutdown(Shutdown::Both);
            }
        });
        Ok(Self { address, stop })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so that it sees the flag (once its current handler is done).
        let _ = TcpStream::connect_timeout(&self.address, Duration::from_secs(1));
    }
}

fn serve<F>(stream: &mut TcpStream, handler: &F) -> io::Result<()>
where
    F: Fn(&mut TcpStream) -> io::Result<()>,
{
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    read_head(stream)?;
    handler(stream)?;
    stream.flush()
}

/// Reads up to the blank line that ends the request head.
fn read_head(stream: &mut TcpStream) -> io::Result<()> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() >= HEAD_LIMIT || stream.read(&mut byte)? == 0 {
            return Err(io::ErrorKind::InvalidData.into());
        }
        head.push(byte[0]);
    }
    Ok(())
}

/// Writes `data` as one chunk of a chunked body.
pub fn write_chunk(stream: &mut TcpStream, data: &[u8]) -> io::Result<()> {
    write!(stream, "{:x}\r\n", data.len())?;
    stream.write_all(data)?;
    stream.write_all(b"\r\n")
}

/// Blocks until the client closes the connection (or 10 s pass in silence), the way a
/// stalled server holds a connection open without sending anything.
pub fn wait_for_client_to_leave(stream: &mut TcpStream) -> io::Result<()> {
    stream.flush()?;
    let mut sink = [0u8; 1024];
    while stream.read(&mut sink)? > 0 {}
    Ok(())
}
