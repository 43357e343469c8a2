// The sandbox chat page: one customer per browser tab (kept in the tab's sessionStorage, or given in the URL as
// ?channel=whatsapp&customer=4915…&name=Ada). Server-sent events bring the conversation; typing and taps are
// posted to the page's server, which delivers them to n8n as signed Meta webhooks.
'use strict';
(function () {
	const NAMES = ['Ada', 'Ben', 'Chloe', 'Dev', 'Emma', 'Femi', 'Gus', 'Hana', 'Ivo', 'Jun', 'Kemal', 'Lena', 'Mo', 'Nia'];
	const $ = (/** @type {string} */ sel) => /** @type {HTMLElement} */ (document.querySelector(sel));
	const params = new URLSearchParams(location.search);

	/** A made-up customer id of Meta's shape: a WhatsApp number (country code + digits) or a 16-digit IGSID. @param {string} channel */
	function newCustomerId(channel) {
		const digits = (/** @type {number} */ n) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => String(b % 10)).join('');
		return channel === 'whatsapp' ? `49151${digits(8)}` : `7${digits(15)}`;
	}

	/** @returns {{ channel: string, customer: string, name: string }} */
	function initialCustomer() {
		const channel = params.get('channel') === 'instagram' ? 'instagram' : params.get('channel') === 'whatsapp' ? 'whatsapp' : sessionStorage.getItem('channel') || 'whatsapp';
		const fromUrl = params.get('customer');
		if (fromUrl && /^\d{6,20}$/.test(fromUrl)) return { channel, customer: fromUrl, name: params.get('name') || sessionStorage.getItem(`name:${fromUrl}`) || NAMES[Number(fromUrl.slice(-2)) % NAMES.length] };
		const kept = sessionStorage.getItem(`customer:${channel}`);
		if (kept) return { channel, customer: kept, name: sessionStorage.getItem(`name:${kept}`) || 'Ada' };
		const customer = newCustomerId(channel);
		return { channel, customer, name: NAMES[Math.floor(Math.random() * NAMES.length)] };
	}

	let me = initialCustomer();
	/** @type {any[]} */
	let entries = [];
	/** @type {EventSource | null} */
	let source = null;
	/** @type {any} */
	let config = null;

	function remember() {
		sessionStorage.setItem('channel', me.channel);
		sessionStorage.setItem(`customer:${me.channel}`, me.customer);
		sessionStorage.setItem(`name:${me.customer}`, me.name);
		const url = new URL(location.href);
		url.search = new URLSearchParams({ channel: me.channel, customer: me.customer, name: me.name }).toString();
		history.replaceState(null, '', url);
	}

	function render() {
		const list = $('#messages');
		list.replaceChildren();
		const quoted = (/** @type {string} */ id) => entries.find((e) => e.key === `customer:${id}`)?.text;
		entries.forEach((entry, i) => {
			list.appendChild(window.ChatRender.renderEntry(entry, { onTap: tap, latest: i === entries.length - 1, quoted }));
		});
		$('#empty').hidden = entries.length > 0;
		list.scrollTop = list.scrollHeight;
	}

	/** @param {any} entry */
	function add(entry) {
		if (entries.some((e) => e.key === entry.key)) return;
		entries.push(entry);
		entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
		render();
		refreshSoon();
	}

	function connect() {
		if (source) source.close();
		entries = [];
		render();
		const q = new URLSearchParams({ channel: me.channel, customer: me.customer });
		source = new EventSource(`/api/events?${q}`);
		source.addEventListener('history', (ev) => {
			entries = JSON.parse(/** @type {MessageEvent} */ (ev).data);
			render();
			document.body.dataset.connected = 'true';
		});
		source.addEventListener('entry', (ev) => add(JSON.parse(/** @type {MessageEvent} */ (ev).data)));
		source.onerror = () => {
			document.body.dataset.connected = 'false';
		};
	}

	/** @param {string} path @param {any} body */
	async function post(path, body) {
		const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		const answer = await res.json().catch(() => ({}));
		if (!res.ok) throw new Error(answer.error || `HTTP ${res.status}`);
		return answer;
	}

	/** @param {string} text */
	function showProblem(text) {
		const note = $('#problem');
		note.textContent = text;
		note.hidden = !text;
	}

	/** @param {{ id: string, title: string }} reply @param {any} entry */
	async function tap(reply, entry) {
		showProblem('');
		try {
			add(await post('/api/tap', { channel: me.channel, customer: me.customer, name: me.name, reply, replyTo: entry.messageId || undefined }));
		} catch (error) {
			showProblem(String(error instanceof Error ? error.message : error));
		}
	}

	async function send(/** @type {SubmitEvent} */ ev) {
		ev.preventDefault();
		const input = /** @type {HTMLInputElement} */ ($('#text'));
		const text = input.value.trim();
		if (!text) return;
		input.value = '';
		showProblem('');
		try {
			add(await post('/api/say', { channel: me.channel, customer: me.customer, name: me.name, text }));
		} catch (error) {
			input.value = text;
			showProblem(String(error instanceof Error ? error.message : error));
		}
	}

	/** @param {string} iso */
	const when = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '');
	/** @param {number} minor @param {string} currency */
	const money = (minor, currency) => (typeof minor === 'number' && currency ? `${(minor / 100).toFixed(2)} ${currency.toUpperCase()}` : '');

	async function refreshSide() {
		const q = new URLSearchParams({ channel: me.channel, customer: me.customer });
		const [orders, executions] = await Promise.all([
			fetch(`/api/orders?${q}`).then((r) => (r.ok ? r.json() : [])),
			fetch(`/api/executions?${q}`).then((r) => (r.ok ? r.json() : [])),
		]).catch(() => [[], []]);
		const body = $('#orders tbody');
		body.replaceChildren();
		for (const o of orders) {
			const tr = document.createElement('tr');
			tr.dataset.testid = 'order-row';
			tr.dataset.session = o.sessionId;
			const cells = [o.product, String(o.quantity ?? ''), money(o.amountTotal, o.currency), o.status];
			for (const c of cells) tr.appendChild(Object.assign(document.createElement('td'), { textContent: c ?? '' }));
			const link = document.createElement('a');
			link.href = o.checkoutUrl;
			link.target = '_blank';
			link.rel = 'noopener';
			link.textContent = `${String(o.sessionId).slice(0, 14)}…`;
			link.title = o.sessionId;
			const td = document.createElement('td');
			td.appendChild(link);
			tr.appendChild(td);
			tr.children[3].className = `status ${o.status}`;
			body.appendChild(tr);
		}
		$('#orders-empty').hidden = orders.length > 0;
		const list = $('#executions');
		list.replaceChildren();
		for (const e of executions) {
			const li = document.createElement('li');
			li.dataset.testid = 'execution';
			const a = document.createElement('a');
			a.href = e.url;
			a.target = '_blank';
			a.rel = 'noopener';
			a.textContent = `#${e.id}`;
			li.appendChild(a);
			li.appendChild(Object.assign(document.createElement('span'), { className: `status ${e.status}`, textContent: e.status }));
			li.appendChild(Object.assign(document.createElement('span'), { className: 'when', textContent: when(e.startedAt) }));
			list.appendChild(li);
		}
		$('#executions-empty').hidden = executions.length > 0;
	}

	/** @type {ReturnType<typeof setTimeout>[]} */
	let timers = [];
	/** After a message the run is still finishing: look again shortly, then once more (no steady polling). */
	function refreshSoon() {
		for (const t of timers) clearTimeout(t);
		timers = [setTimeout(refreshSide, 800), setTimeout(refreshSide, 3000)];
	}

	async function refreshCustomers() {
		const customers = await fetch('/api/customers').then((r) => r.json()).catch(() => []);
		const picker = /** @type {HTMLSelectElement} */ ($('#picker'));
		picker.replaceChildren();
		const mine = { channel: me.channel, customer: me.customer };
		const all = customers.some((/** @type {any} */ c) => c.channel === mine.channel && c.customer === mine.customer) ? customers : [mine, ...customers];
		for (const c of all) {
			const option = document.createElement('option');
			option.value = `${c.channel}:${c.customer}`;
			// Instagram's webhook carries no name: only WhatsApp customers are shown with one.
			option.textContent = c.channel === 'whatsapp' ? `WhatsApp · ${sessionStorage.getItem(`name:${c.customer}`) || ''} +${c.customer}` : `Instagram · IGSID ${c.customer}`;
			option.selected = c.channel === me.channel && c.customer === me.customer;
			picker.appendChild(option);
		}
	}

	function show() {
		document.body.dataset.channel = me.channel;
		$('#shop-name').textContent = config ? config.shop[me.channel] : '';
		$('#shop-sub').textContent = me.channel === 'whatsapp' ? 'WhatsApp Business · sandbox' : 'Instagram · sandbox';
		$('#me').textContent = me.channel === 'whatsapp' ? `You are ${me.name} · +${me.customer}` : `You are IGSID ${me.customer}`;
		for (const b of document.querySelectorAll('[data-channel-tab]')) b.classList.toggle('active', /** @type {HTMLElement} */ (b).dataset.channelTab === me.channel);
		remember();
		connect();
		refreshSide();
		refreshCustomers();
	}

	/** @param {string} channel */
	function switchTo(channel, fresh = false) {
		const kept = fresh ? null : sessionStorage.getItem(`customer:${channel}`);
		const customer = kept || newCustomerId(channel);
		const name = (kept && sessionStorage.getItem(`name:${kept}`)) || NAMES[Math.floor(Math.random() * NAMES.length)];
		me = { channel, customer, name };
		show();
	}

	async function start() {
		config = await fetch('/api/config').then((r) => r.json());
		const workflow = /** @type {HTMLAnchorElement} */ ($('#link-workflow'));
		workflow.href = config.workflowUrl;
		const stripe = /** @type {HTMLAnchorElement} */ ($('#link-stripe'));
		stripe.href = config.stripeUrl;
		$('#composer').addEventListener('submit', send);
		$('#new-customer').addEventListener('click', () => switchTo(me.channel, true));
		for (const b of document.querySelectorAll('[data-channel-tab]')) b.addEventListener('click', () => switchTo(/** @type {string} */ (/** @type {HTMLElement} */ (b).dataset.channelTab)));
		$('#picker').addEventListener('change', (ev) => {
			const [channel, customer] = /** @type {HTMLSelectElement} */ (ev.target).value.split(':');
			me = { channel, customer, name: sessionStorage.getItem(`name:${customer}`) || NAMES[Number(customer.slice(-2)) % NAMES.length] };
			show();
		});
		$('#picker').addEventListener('focus', refreshCustomers);
		$('#refresh').addEventListener('click', refreshSide);
		show();
	}

	start().catch((error) => showProblem(`The page could not start: ${error}`));
})();
