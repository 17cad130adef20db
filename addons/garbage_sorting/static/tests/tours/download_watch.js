/** @odoo-module **/

/**
 * Watch what the browser saves when the web client downloads a file, without changing how it does it.
 *
 * The client posts the download request, turns the answer into a Blob and saves it through a temporary link
 * (web/static/src/core/network/download.js): `URL.createObjectURL` receives that very file and the link's
 * `download` attribute names it. Both are observed, then passed on untouched; each saved file is noted on the page
 * as `<div class="o_gs_downloaded" data-type data-head data-size data-name>`, which the next tour step waits for.
 * Nothing is noted when the click downloads nothing (or the server answers an error instead of a file).
 */
export function watchDownloads() {
    if (window.__gsDownloadWatch) {
        return;
    }
    window.__gsDownloadWatch = true;
    const blobs = new Map();
    const createObjectURL = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (object) => {
        const url = createObjectURL(object);
        if (object instanceof Blob) {
            blobs.set(url, object);
        }
        return url;
    };
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function () {
        const blob = blobs.get(this.href);
        if (blob && this.hasAttribute("download")) {
            const name = this.getAttribute("download");
            blob.slice(0, 5)
                .text()
                .then((head) => {
                    const note = document.createElement("div");
                    note.className = "o_gs_downloaded d-none";
                    Object.assign(note.dataset, { type: blob.type, head, size: String(blob.size), name });
                    // where the tour looks: the dialog the button was pressed in, if it is still open
                    const dialogs = document.querySelectorAll(".modal .modal-content");
                    (dialogs[dialogs.length - 1] || document.body).appendChild(note);
                });
        }
        return click.call(this);
    };
}

/**
 * The tour step that waits until the click has saved a PDF: the server's answer, as the browser keeps it. The test
 * first fetched the same document through the same request and checked its text; it hands its size over in
 * `sessionStorage.gs_expected_download`: a document of another size (a blank page) is not the one expected.
 */
export function pdfDownloadedStep(content) {
    return {
        content,
        trigger: ".o_gs_downloaded[data-type='application/pdf'][data-head='%PDF-']:not(:visible)",
        run() {
            const note = document.querySelector(".o_gs_downloaded[data-head='%PDF-']");
            const expected = JSON.parse(sessionStorage.getItem("gs_expected_download") || "{}");
            const size = Number(note.dataset.size);
            if (!expected.size || Math.abs(size - expected.size) > expected.size * 0.02) {
                throw new Error(`Not the PDF expected (${JSON.stringify(expected)}): ${JSON.stringify(note.dataset)}`);
            }
            document.body.classList.add("o_gs_pdf_downloaded");
        },
    };
}
