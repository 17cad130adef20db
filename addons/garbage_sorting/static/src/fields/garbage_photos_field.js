import { registry } from "@web/core/registry";
import { Many2ManyBinaryField, many2ManyBinaryField } from "@web/views/fields/many2many_binary/many2many_binary_field";

/**
 * Photos as thumbnails: a many2many of attachments shown as pictures (not file icons), with a large
 * "take a photo" button; on a phone the file input (accept="image/*") offers the camera.
 */
export class GarbagePhotosField extends Many2ManyBinaryField {
    static template = "garbage_sorting.GarbagePhotosField";

    isImage(file) {
        return (file.mimetype || "").startsWith("image/");
    }

    getThumbnailUrl(file) {
        return `/web/image/${file.id}/180x180?unique=${encodeURIComponent(file.checksum || "")}`;
    }

    getPreviewUrl(file) {
        return `/web/image/${file.id}`;
    }
}

export const garbagePhotosField = {
    ...many2ManyBinaryField,
    component: GarbagePhotosField,
    relatedFields: [...many2ManyBinaryField.relatedFields, { name: "checksum", type: "char" }],
    extractProps: (fieldInfo, dynamicInfo) => ({
        ...many2ManyBinaryField.extractProps(fieldInfo, dynamicInfo),
        acceptedFileExtensions: fieldInfo.options.accepted_file_extensions || "image/*",
    }),
};

registry.category("fields").add("garbage_photos", garbagePhotosField);
