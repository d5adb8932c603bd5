//! A WebSocket that keeps reconnecting with capped, jittered backoff, and
//! hands binary messages to the session. Everything it carries is already
//! sealed; this layer knows nothing of keys or documents.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

/// What the socket tells its owner.
pub trait SocketHandler: 'static {
    /// The connection is open: time to say hello.
    fn opened(&self, socket: &Socket);
    /// A binary message arrived.
    fn message(&self, socket: &Socket, bytes: Vec<u8>);
    /// The connection closed or could not be made; it will be retried.
    fn closed(&self, reason: String);
}

const FIRST_RETRY_MS: u32 = 500;
const MAX_RETRY_MS: u32 = 30_000;

struct State {
    url: String,
    ws: Option<WebSocket>,
    retry_ms: u32,
    retry: Option<Timeout>,
    stopped: bool,
    /// The browser says it is offline: no retries until it is back.
    paused: bool,
    handlers: Vec<Closure<dyn FnMut(JsValueEvent)>>,
}

type JsValueEvent = wasm_bindgen::JsValue;

/// A self-reconnecting WebSocket to one relay URL.
#[derive(Clone)]
pub struct Socket {
    state: Rc<RefCell<State>>,
    handler: Rc<dyn SocketHandler>,
}

impl Socket {
    /// Starts connecting to `url` (ws:// or wss://) and keeps the connection up.
    pub fn connect(url: &str, handler: Rc<dyn SocketHandler>) -> Socket {
        let socket = Socket {
            state: Rc::new(RefCell::new(State {
                url: url.to_owned(),
                ws: None,
                retry_ms: FIRST_RETRY_MS,
                retry: None,
                stopped: false,
                paused: false,
                handlers: Vec::new(),
            })),
            handler,
        };
        socket.open();
        socket
    }

    /// Sends one binary message; returns false when not connected (the
    /// caller resends after the next `opened`).
    pub fn send(&self, bytes: &[u8]) -> bool {
        let state = self.state.borrow();
        match &state.ws {
            Some(ws) if ws.ready_state() == WebSocket::OPEN => ws.send_with_u8_array(bytes).is_ok(),
            _ => false,
        }
    }

    /// Whether the connection is open now.
    pub fn is_open(&self) -> bool {
        self.state
            .borrow()
            .ws
            .as_ref()
            .is_some_and(|ws| ws.ready_state() == WebSocket::OPEN)
    }

    /// Closes the connection while the browser is offline; [`Socket::retry_now`] resumes.
    pub fn pause(&self) {
        let open = {
            let mut state = self.state.borrow_mut();
            state.paused = true;
            state.retry = None;
            state.ws.is_some()
        };
        if open {
            if let Some(ws) = self.state.borrow().ws.as_ref() {
                let _ = ws.close();
            }
            self.dropped("This device is offline.".to_owned());
        }
    }

    /// Reconnects now instead of waiting for the backoff (the browser is back online).
    pub fn retry_now(&self) {
        let idle = {
            let mut state = self.state.borrow_mut();
            state.paused = false;
            !state.stopped && state.ws.is_none()
        };
        if idle {
            self.state.borrow_mut().retry = None;
            self.open();
        }
    }

    /// Closes the connection for good.
    pub fn stop(&self) {
        let mut state = self.state.borrow_mut();
        state.stopped = true;
        state.retry = None;
        if let Some(ws) = state.ws.take() {
            ws.set_onopen(None);
            ws.set_onmessage(None);
            ws.set_onclose(None);
            ws.set_onerror(None);
            let _ = ws.close();
        }
        state.handlers.clear();
    }

    fn open(&self) {
        let url = self.state.borrow().url.clone();
        let ws = match WebSocket::new(&url) {
            Ok(ws) => ws,
            Err(_) => {
                self.handler
                    .closed(format!("The relay address {url} is not valid."));
                self.schedule_retry();
                return;
            }
        };
        ws.set_binary_type(BinaryType::Arraybuffer);
        let this = self.clone();
        let on_open = Closure::<dyn FnMut(JsValueEvent)>::new(move |_| {
            this.state.borrow_mut().retry_ms = FIRST_RETRY_MS;
            this.handler.opened(&this);
        });
        let this = self.clone();
        let on_message = Closure::<dyn FnMut(JsValueEvent)>::new(move |event: JsValueEvent| {
            let Ok(event) = event.dyn_into::<MessageEvent>() else {
                return;
            };
            if let Ok(buffer) = event.data().dyn_into::<ArrayBuffer>() {
                this.handler
                    .message(&this, Uint8Array::new(&buffer).to_vec());
            }
        });
        let this = self.clone();
        let on_close = Closure::<dyn FnMut(JsValueEvent)>::new(move |event: JsValueEvent| {
            let reason = event
                .dyn_into::<CloseEvent>()
                .ok()
                .map(|e| e.reason())
                .filter(|r| !r.is_empty())
                .unwrap_or_else(|| "The relay cannot be reached.".to_owned());
            this.dropped(reason);
        });
        // An error is always followed by a close event, which does the work.
        let on_error = Closure::<dyn FnMut(JsValueEvent)>::new(|_: JsValueEvent| {});
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        ws.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let mut state = self.state.borrow_mut();
        state.handlers = vec![on_open, on_message, on_close, on_error];
        state.ws = Some(ws);
    }

    fn dropped(&self, reason: String) {
        {
            let mut state = self.state.borrow_mut();
            if let Some(ws) = state.ws.take() {
                ws.set_onopen(None);
                ws.set_onmessage(None);
                ws.set_onclose(None);
                ws.set_onerror(None);
            }
        }
        self.handler.closed(reason);
        self.schedule_retry();
    }

    fn schedule_retry(&self) {
        let mut state = self.state.borrow_mut();
        if state.stopped || state.paused {
            return;
        }
        // Full jitter keeps a roomful of laptops from reconnecting in lockstep.
        let delay = (f64::from(state.retry_ms) * (0.5 + js_sys::Math::random() * 0.5)) as u32;
        state.retry_ms = (state.retry_ms * 2).min(MAX_RETRY_MS);
        let this = self.clone();
        state.retry = Some(Timeout::new(delay, move || {
            this.state.borrow_mut().retry = None;
            if !this.state.borrow().stopped {
                this.open();
            }
        }));
    }
}
