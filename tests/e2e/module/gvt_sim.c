// SPDX-License-Identifier: GPL-2.0
/*
 * gvt_sim: a test mdev parent that looks like an Intel GPU with GVT-g. It binds as a PCI
 * driver named "i915" to QEMU's "edu" device (1234:11e8) placed at 0000:00:02.0 and offers the
 * four i915-GVTg_V5_* types with GVT-g's descriptions and shared-pool capacity: the aperture
 * (module parameter aperture_mb, default 1024) less 128 MiB of low graphics memory, 4 GiB less
 * the aperture less 384 MiB of high memory, and 28 fence registers, shared by all vGPUs. Each
 * vGPU is an emulated-IOMMU vfio device. For mdevkit's end-to-end tests only.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/mdev.h>
#include <linux/vfio.h>

static int aperture_mb = 1024;
module_param(aperture_mb, int, 0444);
MODULE_PARM_DESC(aperture_mb, "Simulated GPU aperture in MiB (default 1024: 1/2/5/7 vGPUs)");

static const struct gvt_sim_def {
	const char *name;
	int low_mb, high_mb, fences;
	const char *resolution;
	int weight;
} defs[] = {
	{ "GVTg_V5_1", 512, 2048, 4, "1920x1200", 16 },
	{ "GVTg_V5_2", 256, 1024, 4, "1920x1200", 8 },
	{ "GVTg_V5_4", 128, 512, 4, "1920x1200", 4 },
	{ "GVTg_V5_8", 64, 384, 4, "1024x768", 2 },
};
#define NTYPES ARRAY_SIZE(defs)

struct gvt_sim_type {
	struct mdev_type type;
	int idx;
};

static struct gvt_sim_type sim_types[NTYPES];
static struct mdev_type *type_list[NTYPES];

static DEFINE_MUTEX(pool_lock);
static int used[NTYPES];

struct gvt_sim_vgpu {
	struct vfio_device vdev;
	int idx;
};

/* How many more vGPUs of type t fit in the pool (pool_lock held). */
static int pool_available(int t)
{
	int low = aperture_mb - 128, high = 4096 - aperture_mb - 384, fences = 32 - 4, i, n;

	for (i = 0; i < NTYPES; i++) {
		low -= used[i] * defs[i].low_mb;
		high -= used[i] * defs[i].high_mb;
		fences -= used[i] * defs[i].fences;
	}
	n = low / defs[t].low_mb;
	n = min(n, high / defs[t].high_mb);
	n = min(n, fences / defs[t].fences);
	return max(n, 0);
}

static int type_index(struct mdev_type *mtype)
{
	return container_of(mtype, struct gvt_sim_type, type)->idx;
}

static unsigned int gvt_sim_get_available(struct mdev_type *mtype)
{
	int n;

	mutex_lock(&pool_lock);
	n = pool_available(type_index(mtype));
	mutex_unlock(&pool_lock);
	return n;
}

static ssize_t gvt_sim_show_description(struct mdev_type *mtype, char *buf)
{
	const struct gvt_sim_def *d = &defs[type_index(mtype)];

	return sysfs_emit(buf, "low_gm_size: %dMB\nhigh_gm_size: %dMB\nfence: %d\nresolution: %s\nweight: %d\n",
			  d->low_mb, d->high_mb, d->fences, d->resolution, d->weight);
}

/* A new vGPU takes its slice of the pool, or fails as GVT-g does when it does not fit. */
static int gvt_sim_init_dev(struct vfio_device *vdev)
{
	struct gvt_sim_vgpu *v = container_of(vdev, struct gvt_sim_vgpu, vdev);
	struct mdev_device *mdev = to_mdev_device(vdev->dev);
	int ret = 0;

	v->idx = type_index(mdev->type);
	mutex_lock(&pool_lock);
	if (pool_available(v->idx) > 0)
		used[v->idx]++;
	else
		ret = -ENOSPC;
	mutex_unlock(&pool_lock);
	return ret;
}

static void gvt_sim_release_dev(struct vfio_device *vdev)
{
	struct gvt_sim_vgpu *v = container_of(vdev, struct gvt_sim_vgpu, vdev);

	mutex_lock(&pool_lock);
	used[v->idx]--;
	mutex_unlock(&pool_lock);
	vfio_free_device(vdev);
}

static const struct vfio_device_ops gvt_sim_dev_ops = {
	.name = "vfio-gvt-sim",
	.init = gvt_sim_init_dev,
	.release = gvt_sim_release_dev,
};

static int gvt_sim_probe(struct mdev_device *mdev)
{
	struct gvt_sim_vgpu *v;
	int ret;

	v = vfio_alloc_device(gvt_sim_vgpu, vdev, &mdev->dev, &gvt_sim_dev_ops);
	if (IS_ERR(v))
		return PTR_ERR(v);
	ret = vfio_register_emulated_iommu_dev(&v->vdev);
	if (ret) {
		vfio_put_device(&v->vdev);
		return ret;
	}
	dev_set_drvdata(&mdev->dev, v);
	return 0;
}

static void gvt_sim_remove(struct mdev_device *mdev)
{
	struct gvt_sim_vgpu *v = dev_get_drvdata(&mdev->dev);

	vfio_unregister_group_dev(&v->vdev);
	vfio_put_device(&v->vdev);
}

static struct mdev_driver gvt_sim_mdev_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.driver = {
		.name = "intel_vgpu_mdev", /* kvmgt's name for it */
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
	},
	.probe = gvt_sim_probe,
	.remove = gvt_sim_remove,
	.get_available = gvt_sim_get_available,
	.show_description = gvt_sim_show_description,
};

static int gvt_sim_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct mdev_parent *parent = devm_kzalloc(&pdev->dev, sizeof(*parent), GFP_KERNEL);

	if (!parent)
		return -ENOMEM;
	pci_set_drvdata(pdev, parent);
	return mdev_register_parent(parent, &pdev->dev, &gvt_sim_mdev_driver, type_list, NTYPES);
}

static void gvt_sim_pci_remove(struct pci_dev *pdev)
{
	mdev_unregister_parent(pci_get_drvdata(pdev));
}

static const struct pci_device_id gvt_sim_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) }, /* QEMU's edu test device */
	{}
};
MODULE_DEVICE_TABLE(pci, gvt_sim_ids);

/* Named like the real driver, so the types read i915-GVTg_V5_* */
static struct pci_driver gvt_sim_pci_driver = {
	.name = "i915",
	.id_table = gvt_sim_ids,
	.probe = gvt_sim_pci_probe,
	.remove = gvt_sim_pci_remove,
};

static int __init gvt_sim_init(void)
{
	int i, ret;

	if (aperture_mb <= 128 || aperture_mb >= 4096 - 384)
		return -EINVAL;
	for (i = 0; i < NTYPES; i++) {
		sim_types[i].idx = i;
		sim_types[i].type.sysfs_name = defs[i].name;
		type_list[i] = &sim_types[i].type;
	}
	ret = mdev_register_driver(&gvt_sim_mdev_driver);
	if (ret)
		return ret;
	ret = pci_register_driver(&gvt_sim_pci_driver);
	if (ret)
		mdev_unregister_driver(&gvt_sim_mdev_driver);
	return ret;
}

static void __exit gvt_sim_exit(void)
{
	pci_unregister_driver(&gvt_sim_pci_driver);
	mdev_unregister_driver(&gvt_sim_mdev_driver);
}

module_init(gvt_sim_init);
module_exit(gvt_sim_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Simulated GVT-g mdev parent for mdevkit's end-to-end tests");
