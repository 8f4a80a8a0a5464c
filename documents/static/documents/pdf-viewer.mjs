// The inline PDF viewer of documents/_pdf_viewer.html: pdf.js (served from node_modules as static files, never
// fetched from elsewhere), one canvas per page, rendered when it scrolls into view, fitted to the box's width so
// that a 390 px phone shows the whole page; zoom buttons widen the pages inside a horizontally scrolling box.
// Any failure leaves the message and the download link that the page shows without JavaScript.

const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];
const MAX_CANVAS_PIXELS = 16 * 1024 * 1024; // phones refuse larger canvases
let library = null;

function loadLibrary(libUrl, workerUrl) {
  library ||= import(libUrl).then((pdfjs) => {
    pdfjs.GlobalWorkerOptions.workerSrc = workerUrl; // a module worker, same origin
    return pdfjs;
  });
  return library;
}

class Viewer {
  constructor(box) {
    this.box = box;
    this.status = box.querySelector("[data-pdf-status]");
    this.pagesBox = box.querySelector("[data-pdf-pages]");
    this.zoomBar = box.querySelector("[data-pdf-zoom]");
    this.zoom = 1;
    this.pages = []; // {number, holder, canvas, ratio, rendered, task}
    this.width = 0;
  }

  async start() {
    const { src, lib, worker } = this.box.dataset;
    this.status.textContent = this.box.dataset.textLoading;
    const pdfjs = await loadLibrary(new URL(lib, document.baseURI).href, new URL(worker, document.baseURI).href);
    const base = new URL("../", new URL(lib, document.baseURI)).href; // …/pdfjs/
    this.pdf = await pdfjs.getDocument({
      url: src,
      wasmUrl: `${base}wasm/`, // JBIG2 and JPEG 2000 scans
      standardFontDataUrl: `${base}standard_fonts/`,
      cMapUrl: `${base}cmaps/`,
      iccUrl: `${base}iccs/`,
      disableRange: true, // one request, one audit entry
    }).promise;
    const first = await this.pdf.getPage(1);
    const firstView = first.getViewport({ scale: 1 });
    for (let number = 1; number <= this.pdf.numPages; number++) {
      const holder = document.createElement("div");
      holder.className = "pdf-page";
      holder.dataset.page = String(number);
      holder.setAttribute("role", "img");
      holder.setAttribute("aria-label", `${this.box.dataset.textPage} ${number}`);
      const page = { number, holder, canvas: null, ratio: firstView.height / firstView.width, rendered: 0, task: null };
      holder.style.aspectRatio = `1 / ${page.ratio}`;
      this.pages.push(page);
      this.pagesBox.append(holder);
    }
    const count = this.pdf.numPages;
    this.status.textContent = `${count} ${this.box.dataset.textPages}`;
    this.box.classList.add("pdf-ready");
    this.zoomBar?.removeAttribute("hidden");
    this.zoomBar?.addEventListener("click", (event) => {
      const button = event.target.closest("[data-zoom]");
      if (button) this.setZoom(button.dataset.zoom);
    });
    this.visible = new Set();
    this.observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const page = this.pages[Number(entry.target.dataset.page) - 1];
        if (entry.isIntersecting) this.visible.add(page);
        else this.visible.delete(page);
      }
      this.renderVisible();
    }, { rootMargin: "200px 0px" });
    for (const page of this.pages) this.observer.observe(page.holder);
    new ResizeObserver(() => {
      const width = this.pagesBox.clientWidth;
      if (width && width !== this.width) {
        this.width = width;
        this.renderVisible();
      }
    }).observe(this.pagesBox);
  }

  setZoom(how) {
    const index = ZOOMS.indexOf(this.zoom);
    if (how === "in") this.zoom = ZOOMS[Math.min(index + 1, ZOOMS.length - 1)];
    else if (how === "out") this.zoom = ZOOMS[Math.max(index - 1, 0)];
    else this.zoom = 1;
    this.pagesBox.style.setProperty("--pdf-zoom", String(this.zoom));
    this.box.classList.toggle("pdf-zoomed", this.zoom > 1);
    this.renderVisible();
  }

  renderVisible() {
    for (const page of this.visible) {
      this.render(page).catch((error) => this.fail(error));
    }
  }

  async render(page) {
    const cssWidth = page.holder.clientWidth;
    const scaleWanted = cssWidth * (window.devicePixelRatio || 1);
    if (!cssWidth || page.rendered === scaleWanted) return;
    page.rendered = scaleWanted;
    page.task?.cancel();
    const pdfPage = await this.pdf.getPage(page.number);
    const unit = pdfPage.getViewport({ scale: 1 });
    page.ratio = unit.height / unit.width;
    page.holder.style.aspectRatio = `1 / ${page.ratio}`;
    let scale = scaleWanted / unit.width;
    scale = Math.min(scale, Math.sqrt(MAX_CANVAS_PIXELS / (unit.width * unit.height)));
    const viewport = pdfPage.getViewport({ scale });
    const canvas = document.createElement("canvas");
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    const task = pdfPage.render({ canvas, canvasContext: canvas.getContext("2d"), viewport });
    page.task = task;
    try {
      await task.promise;
    } catch (error) {
      if (error?.name === "RenderingCancelledException") return;
      throw error;
    }
    if (page.task !== task) return;
    page.task = null;
    page.canvas?.remove();
    page.canvas = canvas;
    page.holder.append(canvas); // swapped in whole: no blank flash while re-rendering
    page.holder.classList.add("pdf-rendered");
  }

  fail(error) {
    console.error("pdf viewer:", error);
    this.box.classList.add("pdf-failed");
    this.status.textContent = this.box.dataset.textFailed;
  }
}

for (const box of document.querySelectorAll("[data-pdf-viewer]:not([data-pdf-started])")) {
  box.dataset.pdfStarted = "1";
  const viewer = new Viewer(box);
  viewer.start().catch((error) => viewer.fail(error));
}
